"""Policy recommender: exact vectorised eligibility plus jieba TF-IDF similarity (pure module, no Flask).

Shape (built for 1,000,000 enterprises x 10,000 policies on two cores):
- `EnterpriseTable` holds enterprises column by column: categories as small ints, every number as an exact
  rational (int64 numerator and denominator), qualifications as a 64-bit mask, plus the text documents.
- `PolicyIndex` compiles the conditions of all policies once. Identical conditions are shared ("registered in
  宝安区" is one condition however many policies say it), grouped by (field, op) so that one numpy expression
  evaluates a whole group. Numbers are compared by integer cross-multiplication, so the vectorised path
  agrees exactly with `portal.conditions.eligible` (labels were computed on exact rationals).
- Text similarity is TF-IDF (scikit-learn) over jieba tokens. The index keeps raw term counts, so adding,
  replacing or removing a policy re-tokenises only that policy and re-weights the counts (milliseconds) with
  the same result as a full rebuild.
- `digest` evaluates a chunk of enterprises against all conditions as bitsets, ANDs them per policy, and
  computes similarity only for the pairs that can reach an enterprise's top list.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer

from portal import conditions as cond
from portal import reference

NUMBER_KINDS = ("number", "years", "ratio")
SET_KINDS = ("qualifications",)
GROUP_KINDS = ("groups",)  # the portal's records: {group: years since its latest approval}
_INT64_SAFE = 2**62  # products below this cannot overflow int64
_BLOCK = re.compile(r"([一-鿕a-zA-Z0-9+#&._%\-]+)")  # jieba's own block split (re_han_default)
_NOT_WORD = re.compile(r"^[\d.%+#&_\-]+$")
MIN_DOCS_FOR_MAX_DF = 20  # below this many policies "appears in most policies" says nothing about boilerplate


# ------------------------------------------------------------------ text


class Tokenizer:
    """jieba tokens with a cache per text block, so repeated phrases (经营范围 items) are cut once."""

    def __init__(self, hmm: bool = False, user_dict: bool = True):
        self.hmm = hmm
        self.user_dict = user_dict
        self._cache: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()
        self._ready = False

    def _prepare(self) -> None:
        import jieba

        jieba.setLogLevel(60)
        if self.user_dict:
            from portal.policies.text_conditions import load_user_dict

            load_user_dict()
        jieba.initialize()
        self._cut = jieba.lcut
        self._ready = True

    def block_tokens(self, block: str) -> tuple[str, ...]:
        """Tokens of one jieba block (a run of word characters), cached."""
        hit = self._cache.get(block)
        if hit is None:
            if not self._ready:
                with self._lock:
                    if not self._ready:
                        self._prepare()
            hit = tuple(t for t in self._cut(block, HMM=self.hmm) if len(t) >= 2 and not _NOT_WORD.match(t))
            self._cache[block] = hit
        return hit

    def tokens(self, text: str) -> list[str]:
        """Index terms of a text: jieba words of two or more characters, numbers dropped."""
        out: list[str] = []
        for block in _BLOCK.findall(text or ""):
            out.extend(self.block_tokens(block))
        return out


def enterprise_text(profile: Mapping[str, Any]) -> str:
    """The text an enterprise is matched on: business scope, description and its GB/T 4754 industry names."""
    names = " ".join(i.name for i in reference.industry_chain(profile.get("industry_code") or ""))
    return "。".join(str(profile.get(k) or "") for k in ("business_scope", "description")) + "。" + names


def policy_text(policy: Mapping[str, Any]) -> str:
    """The text a policy is matched on: its title (twice: the title says what the policy is about) and body."""
    title = policy.get("title") or ""
    return f"{title}。{title}。{policy.get('text') or ''}"


def _sublinear(counts: sp.csr_matrix) -> sp.csr_matrix:
    out = counts.astype(np.float64, copy=True)
    np.log(out.data, out=out.data)
    out.data += 1.0
    return out


def _weigh(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """1 + log(tf), times idf, rows scaled to unit length: the one TF-IDF weighting used everywhere."""
    out = _sublinear(counts)
    out.data *= idf[out.indices]
    out.eliminate_zeros()
    rows = np.repeat(np.arange(out.shape[0]), np.diff(out.indptr))
    out.data /= np.sqrt(np.bincount(rows, weights=out.data**2, minlength=out.shape[0]))[rows]
    return out


# ------------------------------------------------------------------ numbers


def _fraction(x: Any) -> Fraction:
    return x if isinstance(x, Fraction) else reference.exact(x)


def _int_array(values: Sequence[int]) -> np.ndarray:
    try:
        return np.array(values, dtype=np.int64)
    except OverflowError:  # beyond int64: exact Python integers, slower but still right
        return np.array(values, dtype=object)


def _bound(a: np.ndarray) -> int:
    if a.size == 0:
        return 0
    return int(max(abs(int(a.max())), abs(int(a.min()))))


def _product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a * b exactly (broadcasting): int64 when it cannot overflow, Python integers otherwise."""
    if a.dtype != object and b.dtype != object and _bound(a) * _bound(b) < _INT64_SAFE:
        return a * b
    return a.astype(object) * b.astype(object)


_COMPARE = {
    "gte": np.greater_equal,
    "gt": np.greater,
    "lte": np.less_equal,
    "lt": np.less,
    "eq": np.equal,
    "ne": np.not_equal,
}


def years_column(founded: Any, known: Any, as_of: date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """years_since_founded as (num, den, known) for datetime64[D] founding days: exact, once per distinct day.

    Unknown when the day is unknown or after as_of (a data error, as conditions.derive treats it).
    """
    founded = np.asarray(founded, dtype="datetime64[D]")
    days, inverse = np.unique(founded, return_inverse=True)
    inverse = inverse.reshape(-1)
    ynum, yden, yknown = [], [], []
    for d in days.astype(object):
        if d is None or d > as_of:
            ynum.append(0), yden.append(1), yknown.append(False)
            continue
        f = reference.years_since(d, as_of)
        ynum.append(f.numerator), yden.append(f.denominator), yknown.append(True)
    return (
        _int_array(ynum)[inverse],
        _int_array(yden)[inverse],
        np.array(yknown, dtype=bool)[inverse] & np.asarray(known, dtype=bool),
    )


def _size_class_column(
    industry: tuple[np.ndarray, list], numbers: Mapping[str, tuple]
) -> tuple[np.ndarray, list]:
    """Size class codes, exactly reference.size_class per row, vectorised per 300号 sector.

    A needed indicator that is unknown leaves the class unknown; so does an industry outside the rules.
    """
    codes, vocab = industry
    rules = reference._sme()["industries"]  # the thresholds reference.size_class reads
    given = {"employees": "employees", "revenue": "revenue_wan", "assets": "assets_wan"}
    sector_of = [reference.sme_industry(c) if isinstance(c, str) else None for c in vocab]
    names = sorted({s for s in sector_of if s})
    lookup = np.array([names.index(s) if s else -1 for s in sector_of] + [-1], dtype=np.int64)
    sectors = lookup[codes]  # code -1 reads the last entry
    out = np.full(len(codes), -1, dtype=np.int32)
    for k, name in enumerate(names):
        rows = np.flatnonzero(sectors == k)
        if not len(rows):
            continue
        rule = rules[name]

        def holds(level: str, rule: Mapping = rule, rows: np.ndarray = rows) -> np.ndarray:
            ok = np.ones(len(rows), dtype=bool)
            for key, threshold in rule[level].items():
                num, den, _ = numbers[given[key]]
                t = Fraction(threshold)
                d = den[rows] if den.shape[0] > 1 else den
                ok &= np.asarray(
                    _product(num[rows], np.array(t.denominator)) >= _product(d, np.array(t.numerator))
                )
            return ok

        complete = np.ones(len(rows), dtype=bool)
        for key in rule["sme_upper"]:
            complete &= numbers[given[key]][2][rows]
        size = np.select([holds("sme_upper"), holds("medium"), holds("small")], [0, 1, 2], 3)
        out[rows] = np.where(complete, size, -1)
    return out, list(reference.SIZE_CLASSES)


# ------------------------------------------------------------------ enterprises

# category columns of a table: the record's place, street and industry fields (from the field registry)
CATEGORY_COLUMNS = tuple(
    name
    for name, spec in cond.FIELDS.items()
    if spec.on_record and spec.kind in ("district", "text", "industry")
)
# (growth, current, previous): the derived growth ratios of the registry (conditions.derive)
GROWTH_FIELDS = tuple((name, *inputs) for name, inputs in cond.GROWTH_FIELDS.items())
_NO_GROUP = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.ones(0, dtype=np.int64))


def _growth_column(current: tuple, previous: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(cur − prev) / prev exactly as (num, den, known); unknown where either is, or prev is 0 (conditions.derive)."""
    (cn, cd, ck), (pn, pd, pk) = current, previous
    n = len(ck)
    cd, pd = np.broadcast_to(cd, (n,)), np.broadcast_to(pd, (n,))
    # (cn/cd − pn/pd) / (pn/pd) = (cn·pd − pn·cd) / (cd·pn)
    num = _product(cn, pd) - _product(pn, cd)
    den = _product(cd, pn)
    known = ck & pk & (pn != 0)
    den = np.where(known, den, 1)
    sign = np.where(den < 0, -1, 1)
    return num * sign, den * sign, known


def group_columns(values: Sequence[Mapping[str, Any] | None]) -> tuple[dict, np.ndarray]:
    """Sparse approved-group columns from per-row {group: age in years} (None = unknown)."""
    parts: dict[str, tuple[list, list, list]] = {}
    for i, ages in enumerate(values):
        for g, age in (ages or {}).items():
            f = _fraction(age)
            r, num, den = parts.setdefault(g, ([], [], []))
            r.append(i)
            num.append(f.numerator)
            den.append(f.denominator)
    groups = {
        g: (np.array(r, dtype=np.int64), _int_array(num), _int_array(den))
        for g, (r, num, den) in parts.items()
    }
    return groups, np.array([v is not None for v in values], dtype=bool)


@dataclass
class EnterpriseTable:
    """Enterprises as columns: what the vectorised conditions and the text matrix read."""

    ids: list[str]
    categories: dict[str, tuple[np.ndarray, list[Any]]]  # field -> (int32 codes, -1 = missing; values)
    numbers: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]  # field -> (num, den > 0, known)
    qual_bits: np.ndarray  # uint64, bit i = holds qual_vocab[i]
    qual_known: np.ndarray
    qual_vocab: list[str]
    docs: list[str] | None = None
    _text_cache: dict = field(default_factory=dict, repr=False)
    _bounds: dict = field(default_factory=dict, repr=False)
    # approved_groups: group -> (rows, age numerators, age denominators) of the rows approved in it, sparse;
    # groups_known[i] False where the row's portal records were not loaded (unknown, never eligible)
    groups: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)
    groups_known: np.ndarray | None = None
    _held: dict = field(default_factory=dict, repr=False)

    def group_known(self) -> np.ndarray:
        """Rows whose approved groups are known."""
        return np.zeros(len(self.ids), dtype=bool) if self.groups_known is None else self.groups_known

    def held(self, groups: tuple[str, ...], within: Fraction | None) -> np.ndarray:
        """Rows approved in any of the groups within `within` years (ever, when None), exactly; cached."""
        key = (groups, within)
        hit = self._held.get(key)
        if hit is None:
            hit = np.zeros(len(self.ids), dtype=bool)
            for g in groups:
                rows, num, den = self.groups.get(g, _NO_GROUP)
                if within is None:
                    hit[rows] = True
                else:  # age <= within ⇔ num * within.den <= within.num * den (small integers)
                    hit[
                        rows[
                            _product(num, np.array(within.denominator))
                            <= _product(den, np.array(within.numerator))
                        ]
                    ] = True
            self._held[key] = hit
        return hit

    def bounds(self, name: str) -> tuple[int, int]:
        """Largest |numerator| and denominator of a number column (decides whether int64 products are safe)."""
        hit = self._bounds.get(name)
        if hit is None:
            num, den, _ = self.numbers[name]
            hit = self._bounds[name] = (_bound(num), _bound(den))
        return hit

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_profiles(cls, profiles: Sequence[Mapping[str, Any]], with_text: bool = True) -> EnterpriseTable:
        """Build from profiles made by `portal.conditions.derive` (exact numbers, derived fields present)."""
        categories = {}
        for name, spec in cond.FIELDS.items():
            if spec.kind in NUMBER_KINDS or spec.kind in SET_KINDS or spec.kind in GROUP_KINDS:
                continue
            vocab: dict[Any, int] = {}
            codes = [-1 if (v := p.get(name)) is None else vocab.setdefault(v, len(vocab)) for p in profiles]
            categories[name] = (np.array(codes, dtype=np.int32), list(vocab))
        numbers = {}
        for name, spec in cond.FIELDS.items():
            if spec.kind not in NUMBER_KINDS:
                continue
            nums, dens, known = [], [], []
            for p in profiles:
                v = p.get(name)
                f = Fraction(0) if v is None else _fraction(v)
                nums.append(f.numerator)
                dens.append(f.denominator)
                known.append(v is not None)
            numbers[name] = (_int_array(nums), _int_array(dens), np.array(known, dtype=bool))
        qual_vocab = list(reference.QUALIFICATIONS)
        index = {q: i for i, q in enumerate(qual_vocab)}
        bits, qknown = [], []
        for p in profiles:
            quals = p.get("qualifications")
            mask = 0
            for q in quals or ():
                if q not in index:
                    index[q] = len(qual_vocab)
                    qual_vocab.append(q)
                mask |= 1 << index[q]
            bits.append(mask)
            qknown.append(quals is not None)
        if len(qual_vocab) > 64:
            raise ValueError("资质种类超过 64 种，无法按位存储")
        ids = [str(p.get("uscc") or "") for p in profiles]
        docs = [enterprise_text(p) for p in profiles] if with_text else None
        groups, groups_known = group_columns([p.get("approved_groups") for p in profiles])
        return cls(
            ids,
            categories,
            numbers,
            np.array(bits, dtype=np.uint64),
            np.array(qknown, dtype=bool),
            qual_vocab,
            docs,
            groups=groups,
            groups_known=groups_known,
        )

    @classmethod
    def from_columns(
        cls,
        ids: list[str],
        columns: Mapping[str, Any],
        as_of: date,
        docs: list[str] | None = None,
        *,
        known: Mapping[str, Any] | None = None,
        qual_vocab: Sequence[str] | None = None,
    ) -> EnterpriseTable:
        """Build from raw columns (bulk loads); derives years, R&D ratio and size class exactly.

        columns: registered_district, street, industry_code (arrays of str), founded (datetime64[D]),
        employees (int64), each money field of the registry (conditions.MONEY_FIELDS) as (int64 numerator, int
        denominator) pairs, qualifications (uint64 mask over qual_vocab, default reference.QUALIFICATIONS),
        credit_ok (bool). known: optional raw field -> bool array, False where the record has no value (NULL);
        such a value is unknown, and so is everything derived from it, exactly as `conditions.derive` leaves
        None (unknown is never eligible). Values at unknown rows are ignored; any filler will do.
        Optional (unknown for every row when absent): the other place columns of the registry (tax_district,
        operating_district), each growth figure's previous year (revenue_wan_prev, … as (num, den)) and
        approved_groups (per row {group: [approval days]}, None where not loaded).
        """
        n = len(ids)
        every = np.ones(n, dtype=bool)
        known = known or {}

        def has(name: str) -> np.ndarray:
            k = known.get(name)
            return every if k is None else np.asarray(k, dtype=bool)

        categories = {}
        for name in CATEGORY_COLUMNS:
            if name not in columns:  # a column the caller does not load (e.g. a v1 source): unknown
                categories[name] = (np.full(n, -1, dtype=np.int32), [])
                continue
            values, codes = np.unique(np.asarray(columns[name]), return_inverse=True)
            codes = codes.reshape(-1).astype(np.int32)
            codes[~has(name)] = -1
            categories[name] = (codes, [str(v) for v in values])
        credit = np.asarray(columns["credit_ok"], dtype=bool)
        credit_codes = np.where(credit, 0, 1).astype(np.int32)
        credit_codes[~has("credit_ok")] = -1
        categories["credit_ok"] = (credit_codes, [True, False])
        numbers: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        employees = np.asarray(columns["employees"], dtype=np.int64)
        numbers["employees"] = (employees, np.ones(1, dtype=np.int64), has("employees"))
        for name in (*cond.MONEY_FIELDS, *(previous for _, previous in cond.GROWTH_FIELDS.values())):
            if name not in columns:  # previous-year figures are optional: unknown when not loaded
                numbers[name] = (
                    np.zeros(n, dtype=np.int64),
                    np.ones(1, dtype=np.int64),
                    np.zeros(n, dtype=bool),
                )
                continue
            num, den = columns[name]
            numbers[name] = (np.asarray(num, dtype=np.int64), np.array([int(den)], dtype=np.int64), has(name))
        for growth, current, previous in GROWTH_FIELDS:
            numbers[growth] = _growth_column(numbers[current], numbers[previous])
        # rd_ratio = rd / revenue exactly, 0 when revenue is 0, unknown when either is (conditions.derive)
        (rd, rd_den), (rev, rev_den) = columns["rd_expense_wan"], columns["revenue_wan"]
        rd, rev = np.asarray(rd, dtype=np.int64), np.asarray(rev, dtype=np.int64)
        zero = rev == 0
        num = np.where(zero, 0, _product(rd, np.array(int(rev_den))))
        den = np.where(zero, 1, _product(rev, np.array(int(rd_den))))
        sign = np.where(den < 0, -1, 1)
        numbers["rd_ratio"] = (num * sign, den * sign, has("rd_expense_wan") & has("revenue_wan"))
        numbers["years_since_founded"] = years_column(columns["founded"], has("founded"), as_of)
        categories["size_class"] = _size_class_column(categories["industry_code"], numbers)
        quals = np.asarray(columns["qualifications"], dtype=np.uint64)
        vocab = list(reference.QUALIFICATIONS if qual_vocab is None else qual_vocab)
        if len(vocab) > 64:
            raise ValueError("资质种类超过 64 种，无法按位存储")
        groups, groups_known = (None, None)
        if "approved_groups" in columns:  # {group: [approval days]} per row, None where not loaded
            groups, groups_known = group_columns(
                [None if g is None else cond._approval_ages(g, as_of) for g in columns["approved_groups"]]
            )
        return cls(
            list(ids),
            categories,
            numbers,
            quals,
            has("qualifications"),
            vocab,
            docs,
            groups=groups or {},
            groups_known=groups_known,
        )

    def with_years(self, founded: Any, known: Any, as_of: date) -> EnterpriseTable:
        """The same table with years_since_founded recomputed for another day (the only field as_of moves)."""
        numbers = dict(self.numbers)
        numbers["years_since_founded"] = years_column(founded, np.asarray(known, dtype=bool), as_of)
        # approval ages move with as_of too, and the table keeps ages, not days: without new ones they are unknown
        return EnterpriseTable(
            self.ids, self.categories, numbers, self.qual_bits, self.qual_known, self.qual_vocab, self.docs
        )

    def patched(self, rows: Any, other: EnterpriseTable) -> EnterpriseTable:
        """A new table with row rows[k] taken from other's row k; row numbers from len(self) on append, in order.

        Vocabularies are merged (the codes of this table stay valid), so a refresh after a few profile edits
        costs a copy of the columns, not a rebuild.
        """
        rows = np.asarray(rows, dtype=np.int64)
        n = max(len(self), int(rows.max()) + 1 if len(rows) else 0)
        if len(rows) != len(other) or n - len(self) != int(np.count_nonzero(rows >= len(self))):
            raise ValueError("appended rows must follow the table without gaps")

        def grown(a: np.ndarray, fill: Any) -> np.ndarray:
            out = np.full(n, fill, dtype=a.dtype)
            out[: len(a)] = a
            return out

        categories = {}
        for name, (codes, values) in self.categories.items():
            ocodes, ovalues = other.categories[name]
            values = list(values)
            where = {v: i for i, v in enumerate(values)}
            remap = np.array([where.setdefault(v, len(where)) for v in ovalues] + [-1], dtype=np.int32)
            values += list(where)[len(values) :]
            out = grown(codes, -1)
            out[rows] = remap[ocodes]  # code -1 reads the last entry: still missing
            categories[name] = (out, values)
        numbers = {}
        for name, (num, den, kn) in self.numbers.items():
            onum, oden, okn = other.numbers[name]
            if den.shape[0] == 1 and oden.shape[0] == 1 and den[0] == oden[0] and num.dtype == onum.dtype:
                new_den = den
            else:  # per-row denominators
                new_den = np.broadcast_to(den, num.shape).astype(np.result_type(den, oden))
                new_den = grown(new_den, 1)
                new_den[rows] = np.broadcast_to(oden, onum.shape)
            dtype = object if object in (num.dtype, onum.dtype) else np.int64
            new_num = grown(num.astype(dtype, copy=False), 0)
            new_num[rows] = onum
            new_kn = grown(kn, False)
            new_kn[rows] = okn
            numbers[name] = (new_num, new_den, new_kn)
        vocab = list(self.qual_vocab)
        where = {q: i for i, q in enumerate(vocab)}
        obits = np.zeros(len(other), dtype=np.uint64)
        for i, q in enumerate(other.qual_vocab):
            k = where.setdefault(q, len(where))
            held = (other.qual_bits >> np.uint64(i)) & np.uint64(1)
            obits |= held << np.uint64(k)
        vocab += list(where)[len(vocab) :]
        if len(vocab) > 64:
            raise ValueError("资质种类超过 64 种，无法按位存储")
        bits, qknown = grown(self.qual_bits, 0), grown(self.qual_known, False)
        bits[rows], qknown[rows] = obits, other.qual_known
        ids = list(self.ids) + [""] * (n - len(self))
        docs = None if self.docs is None or other.docs is None else list(self.docs) + [""] * (n - len(self))
        for k, r in enumerate(rows.tolist()):
            ids[r] = other.ids[k]
            if docs is not None:
                docs[r] = other.docs[k]
        replaced = np.zeros(n, dtype=bool)
        replaced[rows] = True
        groups: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        for g, (r, num, den) in self.groups.items():
            keep = ~replaced[r]
            groups[g] = (r[keep], num[keep], den[keep])
        for g, (r, num, den) in other.groups.items():
            old = groups.get(g, _NO_GROUP)
            groups[g] = tuple(np.concatenate([a, b]) for a, b in zip(old, (rows[r], num, den), strict=True))
        gknown = grown(self.group_known(), False)
        gknown[rows] = other.group_known()
        return EnterpriseTable(
            ids, categories, numbers, bits, qknown, vocab, docs, groups=groups, groups_known=gknown
        )

    def subset(self, rows: Any) -> EnterpriseTable:
        """A table of the selected rows (a slice or row numbers), sharing vocabularies."""
        rows = np.arange(len(self))[rows]

        def pick(a: np.ndarray) -> np.ndarray:
            return a[rows] if a.shape[0] == len(self) and len(self) > 1 else a

        where = np.full(len(self), -1, dtype=np.int64)
        where[rows] = np.arange(len(rows))
        groups = {}
        for g, (r, num, den) in self.groups.items():
            keep = where[r] >= 0
            groups[g] = (where[r[keep]], num[keep], den[keep])
        return EnterpriseTable(
            [self.ids[i] for i in rows],
            {k: (c[rows], v) for k, (c, v) in self.categories.items()},
            {k: (num[rows], pick(den), known[rows]) for k, (num, den, known) in self.numbers.items()},
            self.qual_bits[rows],
            self.qual_known[rows],
            self.qual_vocab,
            None if self.docs is None else [self.docs[i] for i in rows],
            groups=groups,
            groups_known=self.group_known()[rows],
        )

    def row(self, i: int) -> dict[str, Any]:
        """The profile fields of row i (exact numbers) — for tests and explanations of bulk rows."""
        out: dict[str, Any] = {"uscc": self.ids[i]}
        for name, (codes, values) in self.categories.items():
            out[name] = None if codes[i] < 0 else values[codes[i]]
        for name, (num, den, known) in self.numbers.items():
            d = den[i] if den.shape[0] > 1 else den[0]
            out[name] = Fraction(int(num[i]), int(d)) if known[i] else None
        bits = int(self.qual_bits[i])
        quals = tuple(q for k, q in enumerate(self.qual_vocab) if bits >> k & 1)
        out["qualifications"] = quals if self.qual_known[i] else None
        ages = {}
        for g, (r, num, den) in self.groups.items():
            for k in np.flatnonzero(r == i).tolist():
                ages[g] = Fraction(int(num[k]), int(den[k]))
        out["approved_groups"] = ages if self.group_known()[i] else None
        return out


# ------------------------------------------------------------------ compiled conditions


def _key_value(spec: cond.FieldSpec | None, op: str, value: Any) -> Any:
    """A hashable canonical form of a condition value (exact numbers, lists as tuples)."""
    numeric = spec is not None and spec.kind in NUMBER_KINDS

    def one(v: Any) -> Any:
        return (
            _fraction(v)
            if numeric and isinstance(v, int | float | Decimal) and not isinstance(v, bool)
            else v
        )

    if isinstance(value, list | tuple):
        return tuple(dict.fromkeys(one(v) for v in value))
    return one(value)


def _tree_of(conditions: Any) -> dict:
    """The conditions document as a tree with a root group (a list of rows or row objects is an "all")."""
    if conditions is None:
        return {"all": []}
    if isinstance(conditions, Mapping):
        if cond.is_group(conditions):
            return dict(conditions)
        return {"all": [dict(conditions)] if conditions else []}
    return {
        "all": [
            dict(c) if isinstance(c, Mapping) else {"field": c.field, "op": c.op, "value": c.value}
            for c in conditions
        ]
    }


class _Group:
    """All unique conditions on one (field, op): evaluated together by one numpy expression."""

    def __init__(self, field_name: str, op: str, kind: str, cols: list[int], values: list[Any]):
        self.field, self.op, self.kind = field_name, op, kind
        self.cols = np.array(cols, dtype=np.int64)
        self.values = values
        self._member: dict[Any, np.ndarray] = {}
        self._qual_masks: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        if kind == "number":
            fr = [Fraction(v) if not isinstance(v, Fraction) else v for v in values]
            self.p = _int_array([f.numerator for f in fr])
            self.q = _int_array([f.denominator for f in fr])
            self.pmax, self.qmax = _bound(self.p), _bound(self.q)

    def _membership(self, values: list[Any]) -> np.ndarray:
        test = cond.OPS[self.op].test
        rows = np.zeros((len(values) + 1, len(self.values)), dtype=bool)  # last row: missing value
        for k, v in enumerate(values):
            hit = self._member.get(v)
            if hit is None:
                hit = np.array([bool(_safe_test(test, v, w)) for w in self.values], dtype=bool)
                self._member[v] = hit
            rows[k] = hit
        return rows

    def evaluate(self, table: EnterpriseTable, rows: Any) -> tuple[np.ndarray, np.ndarray]:
        """(pass matrix rows x conditions, known vector per row) for the selected rows."""
        if self.kind == "category":
            codes, values = table.categories.get(self.field, (None, None))
            if codes is None:
                n = _n_rows(table, rows)
                return np.zeros((n, len(self.values)), dtype=bool), np.zeros(n, dtype=bool)
            c = codes[rows]
            member = self._membership(values)
            return member[c], c >= 0  # code -1 reads the "missing" row, which never passes
        if (
            self.kind == "number" and self.field not in table.numbers
        ):  # e.g. a loan field: not an enterprise's
            n = _n_rows(table, rows)
            return np.zeros((n, len(self.values)), dtype=bool), np.zeros(n, dtype=bool)
        if self.kind == "number":
            num, den, known = table.numbers[self.field]
            n = num[rows][:, None]
            d = (den[rows] if den.shape[0] > 1 else den)[:, None]
            nmax, dmax = table.bounds(self.field)
            if nmax * self.qmax < _INT64_SAFE and dmax * self.pmax < _INT64_SAFE and n.dtype != object:
                return _COMPARE[self.op](n * self.q, d * self.p), known[rows]
            lhs = _product(n, self.q[None, :])
            rhs = _product(d, self.p[None, :])
            return _COMPARE[self.op](lhs, rhs).astype(bool), known[rows]
        if self.kind == "groups":
            n = _n_rows(table, rows)
            ok = np.zeros((n, len(self.values)), dtype=bool)
            known = np.zeros((n, len(self.values)), dtype=bool)
            row_known = table.group_known()[rows]
            for k, (groups, within) in enumerate(self.values):
                if cond.OWN_GROUP in groups:  # not bound to a policy's group: undecidable, as in the engine
                    continue
                held = table.held(groups, within)[rows]
                ok[:, k] = held if self.op == "contains_any" else ~held
                known[:, k] = row_known
            return ok, known
        if self.kind == "set":
            key = tuple(table.qual_vocab)
            masks = self._qual_masks.get(key)
            if masks is None:
                where = {q: i for i, q in enumerate(key)}
                m, impossible = [], []
                for v in self.values:
                    bits = 0
                    for q in v:
                        if q in where:
                            bits |= 1 << where[q]
                    m.append(bits)
                    impossible.append(self.op == "contains_all" and any(q not in where for q in v))
                masks = (np.array(m, dtype=np.uint64), np.array(impossible, dtype=bool))
                self._qual_masks[key] = masks
            m, impossible = masks
            b = table.qual_bits[rows][:, None] & m[None, :]
            if self.op == "contains_any":
                ok = b != 0
            elif self.op == "contains_all":
                ok = (b == m[None, :]) & ~impossible[None, :]
            else:
                ok = b == 0
            return ok, table.qual_known[rows]
        n = _n_rows(table, rows)  # unsupported: never decidable
        return np.zeros((n, len(self.values)), dtype=bool), np.zeros(n, dtype=bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float | Decimal | Fraction) and not isinstance(v, bool)


def _well_typed(spec: cond.FieldSpec, op: str, value: Any) -> bool:
    many = cond.OPS[op].many
    if many != isinstance(value, list | tuple) or (many and not value):
        return False
    if spec.kind in NUMBER_KINDS:
        return all(map(_is_number, value)) if many else _is_number(value)
    return True


def _n_rows(table: EnterpriseTable, rows: Any) -> int:
    if isinstance(rows, slice):
        return len(range(*rows.indices(len(table))))
    return len(rows)


def _safe_test(test: Any, actual: Any, value: Any) -> bool:
    try:
        return test(actual, value)
    except (TypeError, AttributeError):  # e.g. prefix_in on a non-text value: fails like the engine would not
        return False


def _group_kind(field_name: str, op: str) -> str:
    spec = cond.FIELDS.get(field_name)
    if spec is None or op not in spec.ops or op not in cond.OPS:
        return "unsupported"
    if spec.kind in NUMBER_KINDS:
        return "number"
    if spec.kind in SET_KINDS:
        return "set"
    if spec.kind in GROUP_KINDS:
        return "groups"
    return "category"


_TREE = "#"  # keys of group nodes: ("#all" | "#any" | "#not", "", child key ids)


class _Compiled:
    """Unique conditions evaluated together: rows by (field, op) group, then all/any/not nodes level by level.

    Three-valued like `conditions.combine`: each column has a pass and a fail bit (neither = unknown).
    """

    def __init__(self, keys: Sequence[tuple]):
        self.n = n = len(keys)
        by_group: dict[tuple[str, str], list[int]] = {}
        level = [0] * n
        trees: dict[tuple[int, str], list[tuple[int, tuple[int, ...]]]] = {}
        for i, (f, op, value) in enumerate(keys):
            if f.startswith(_TREE):
                level[i] = 1 + max((level[c] for c in value), default=0)
                trees.setdefault((level[i], f[1:]), []).append((i, value))
            else:
                by_group.setdefault((f, op), []).append(i)
        self.groups = [
            _Group(f, op, _group_kind(f, op), ids, [keys[i][2] for i in ids])
            for (f, op), ids in by_group.items()
        ]
        always, never = n, n + 1  # padding: an all ignores an always-passing child, an any a failing one
        self.levels = []
        for (_level, kind), nodes in sorted(trees.items()):
            width = max([len(c) for _, c in nodes] + [1])
            idx = np.full((len(nodes), width), always if kind == "all" else never, dtype=np.int64)
            for k, (_, child) in enumerate(nodes):
                idx[k, : len(child)] = child
            self.levels.append((kind, np.array([i for i, _ in nodes], dtype=np.int64), idx))

    def evaluate(self, table: EnterpriseTable, rows: Any) -> tuple[np.ndarray, np.ndarray]:
        """Pass and known matrices (rows x keys) for selected rows of a table."""
        n = _n_rows(table, rows)
        passed = np.zeros((n, self.n + 2), dtype=bool)
        failed = np.zeros((n, self.n + 2), dtype=bool)
        passed[:, self.n], failed[:, self.n + 1] = True, True
        for g in self.groups:
            ok, kn = g.evaluate(table, rows)
            kn = kn[:, None] if kn.ndim == 1 else kn  # per row, or per row and condition (groups)
            passed[:, g.cols] = ok & kn
            failed[:, g.cols] = ~ok & kn
        for kind, cols, idx in self.levels:
            p, f = passed[:, idx], failed[:, idx]  # rows x nodes x children
            if kind == "all":
                passed[:, cols], failed[:, cols] = p.all(axis=2), f.any(axis=2)
            elif kind == "any":
                passed[:, cols], failed[:, cols] = p.any(axis=2), f.all(axis=2)
            else:
                passed[:, cols], failed[:, cols] = f[:, :, 0], p[:, :, 0]
        return passed[:, : self.n], (passed | failed)[:, : self.n]


@dataclass(frozen=True)
class _Entry:
    """One policy as the index sees it: compiled condition ids, targets, support, term counts."""

    policy_id: str
    policy: Mapping[str, Any]
    conditions: dict  # the tree as evaluated (from criteria or read from the text)
    targets: dict
    support: Mapping[str, Any] | None
    deadline: date | None
    cond_ids: tuple[int, ...]  # one per node of cond.top_nodes(conditions)
    target_ids: tuple[int, ...]
    term_cols: np.ndarray  # vocabulary columns (the vocabulary only grows, so these stay valid)
    term_counts: np.ndarray


@dataclass(frozen=True)
class Item:
    """A ranked policy: grade 2 targeted, 1 general; score = text similarity; amount in 万元 or None."""

    policy_id: str
    grade: int
    score: float
    amount: Decimal | None


@dataclass(frozen=True)
class AlmostItem:
    """A policy that fails exactly one condition (none unknown), with that condition."""

    policy_id: str
    grade: int
    score: float
    condition: dict


@dataclass(frozen=True)
class Recommendation:
    """The ranked eligible policies and the almost-eligible ones."""

    ranked: list[Item]
    almost: list[AlmostItem]


@dataclass(frozen=True)
class Digest:
    """Top lists for every enterprise: policy row numbers (-1 = none), grades, scores; rows = table rows."""

    policies: np.ndarray
    grades: np.ndarray
    scores: np.ndarray


class _Snapshot:
    """Everything derived from the entries; replaced as a whole so readers never see a half update."""

    def __init__(self, entries: list[_Entry], keys: list[tuple], vocab: dict[str, int], max_df: float):
        self.entries = entries
        self.ids = [e.policy_id for e in entries]
        self.pos = {pid: i for i, pid in enumerate(self.ids)}
        n_conds = len(keys)
        self.always, self.never = n_conds, n_conds + 1  # sentinel columns: always passes / never passes
        self.compiled = _Compiled(keys)
        self.n_conds = n_conds
        width = max([len(e.cond_ids) for e in entries] + [1])
        self.cond_idx = np.full((len(entries), width), self.always, dtype=np.int64)
        self.target_idx = np.full((len(entries), 2), self.never, dtype=np.int64)
        for i, e in enumerate(entries):
            self.cond_idx[i, : len(e.cond_ids)] = e.cond_ids
            self.target_idx[i, : len(e.target_ids)] = e.target_ids
        # TF-IDF: counts -> idf (scikit-learn) -> one weighting for policies and enterprises alike
        shape = (len(entries), max(len(vocab), 1))
        indptr = np.zeros(len(entries) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(e.term_cols) for e in entries])
        cols = np.concatenate([e.term_cols for e in entries] + [np.zeros(0, dtype=np.int64)])
        vals = np.concatenate([e.term_counts for e in entries] + [np.zeros(0)])
        counts = sp.csr_matrix((vals, cols, indptr), shape=shape)
        counts.sort_indices()
        if len(entries):
            idf = TfidfTransformer(smooth_idf=True).fit(counts).idf_.copy()
            df = np.bincount(counts.indices, minlength=shape[1])
            idf[df == 0] = 0.0  # words of removed or replaced policies: as if never seen (equals a rebuild)
            if len(entries) >= MIN_DOCS_FOR_MAX_DF:
                # boilerplate (申报, 企业, 万元 ...) says nothing of topic
                idf[df > max_df * len(entries)] = 0.0
        else:
            idf = np.zeros(shape[1])
        self.vocab = vocab
        self.idf = idf
        self.matrix = _weigh(counts, idf)  # policies x terms, unit rows
        self.matrix_t = self.matrix.T.tocsr()  # terms x policies: a query reads only its own terms' rows
        self.deadlines = [e.deadline for e in entries]

    def evaluate(self, table: EnterpriseTable, rows: Any) -> tuple[np.ndarray, np.ndarray]:
        """Pass and known matrices (rows x unique conditions, groups included) for selected rows of a table."""
        return self.compiled.evaluate(table, rows)

    def open_mask(self, open_on: date | None) -> np.ndarray:
        """Policies whose deadline has not passed on open_on (all when open_on is None)."""
        if open_on is None:
            return np.ones(len(self.entries), dtype=bool)
        return np.array([d is None or d >= open_on for d in self.deadlines], dtype=bool)


def _reading(policy: Mapping[str, Any]) -> Any:
    """The reader's proposal for a document without encoded conditions, in the vocabulary of its format version."""
    from portal.policies.text_conditions import read_policy

    vocabulary = None  # the vocabulary in force
    if policy.get("version", 1) == 1:
        # A v1 document and the v1 enterprise records it is matched with know the twelve built-in qualifications
        # only: a row on a later tag (新三板挂牌, 瞪羚企业…) is one no v1 record can ever hold.
        vocabulary = [t for t in reference.seed_vocabulary() if t.name in reference.QUALIFICATIONS]
    return read_policy(policy.get("text") or "", title=policy.get("title") or "", vocabulary=vocabulary)


def _targets_of(obj: Any) -> dict:
    if obj is None:
        return {"industries": [], "qualifications": []}
    if not isinstance(obj, Mapping):
        obj = {
            "industries": getattr(obj, "industries", []),
            "qualifications": getattr(obj, "qualifications", []),
        }
    return {
        "industries": list(obj.get("industries") or []),
        "qualifications": list(obj.get("qualifications") or []),
    }


class PolicyIndex:
    """Policies compiled for ranking and audience: build once, update incrementally, read concurrently."""

    def __init__(
        self,
        policies: Iterable[Mapping[str, Any]] = (),
        *,
        text_only: bool = False,
        max_df: float = 0.5,
        tokenizer: Tokenizer | None = None,
    ):
        self.text_only = text_only
        self.max_df = max_df
        self.tokenizer = tokenizer or Tokenizer()
        self._lock = threading.Lock()
        self._keys: list[tuple] = []
        self._key_ids: dict[tuple, int] = {}
        self._vocab: dict[str, int] = {}
        self._entries: dict[str, _Entry] = {}
        for p in policies:
            e = self._entry(p)
            self._entries[e.policy_id] = e
        self._publish()

    # -- building
    def _cond_id(self, field_name: str, op: str, value: Any, within: Any = None) -> int:
        spec = cond.FIELDS.get(field_name)
        if spec is not None and op in cond.OPS and not _well_typed(spec, op, value):
            field_name = f"!{field_name}"  # ill-typed: compiled as never decidable, like a missing value
        key_value = _key_value(spec, op, value)
        if spec is not None and spec.kind in GROUP_KINDS and not field_name.startswith("!"):
            key_value = (key_value, None if within is None else _fraction(within))
        key = (field_name, op, key_value)
        i = self._key_ids.get(key)
        if i is None:
            i = self._key_ids[key] = len(self._keys)
            self._keys.append(key)
        return i

    def _node_id(self, node: Any, depth: int) -> int:
        if not isinstance(node, Mapping):
            return self._cond_id("!", "", None)
        if not cond.is_group(node):
            return self._cond_id(
                node.get("field"), node.get("op"), node.get("value"), node.get("within_years")
            )
        kind = cond.group_kind(node)
        items = node[kind]
        if depth > cond.MAX_DEPTH or (kind == "not") == isinstance(items, list | tuple) or len(node) != 1:
            return self._cond_id("!", "", None)  # malformed: never decidable, like a missing value
        child = tuple(self._node_id(c, depth + 1) for c in cond.children(node))
        key = (_TREE + kind, "", child)
        i = self._key_ids.get(key)
        if i is None:
            i = self._key_ids[key] = len(self._keys)
            self._keys.append(key)
        return i

    def _entry(self, policy: Mapping[str, Any]) -> _Entry:
        criteria, targets, support = policy.get("criteria"), policy.get("targets"), policy.get("support")
        if self.text_only or criteria is None:  # a document without encoded conditions: read them
            reading = _reading(policy)
            criteria, targets = reading.conditions, reading.targets
            if self.text_only or support is None:
                support = reading.support or support
        conditions = _tree_of(cond.bind_own(criteria, policy.get("group")))
        targets = _targets_of(targets)
        cond_ids = tuple(self._node_id(node, 1) for node in cond.top_nodes(conditions))
        target_ids = []
        if targets["industries"]:
            target_ids.append(self._cond_id("industry_code", "prefix_in", targets["industries"]))
        if targets["qualifications"]:
            target_ids.append(self._cond_id("qualifications", "contains_any", targets["qualifications"]))
        terms: dict[int, int] = {}
        for t in self.tokenizer.tokens(policy_text(policy)):
            c = self._vocab.setdefault(t, len(self._vocab))
            terms[c] = terms.get(c, 0) + 1
        deadline = policy.get("deadline")
        if isinstance(deadline, str):
            deadline = date.fromisoformat(deadline)
        return _Entry(
            str(policy["id"]),
            policy,
            conditions,
            targets,
            support,
            deadline,
            cond_ids,
            tuple(target_ids),
            np.fromiter(terms.keys(), dtype=np.int64, count=len(terms)),
            np.fromiter(terms.values(), dtype=np.float64, count=len(terms)),
        )

    def _publish(self) -> None:
        self._snap = _Snapshot(list(self._entries.values()), list(self._keys), dict(self._vocab), self.max_df)

    def add_or_replace(self, policy: Mapping[str, Any]) -> None:
        """Add a policy or replace the one with its id: tokenises only this policy, then re-weights (ms)."""
        with self._lock:
            e = self._entry(policy)
            self._entries[e.policy_id] = e
            self._publish()

    def remove(self, policy_id: str) -> None:
        """Remove a policy (no error if absent)."""
        with self._lock:
            if self._entries.pop(policy_id, None) is not None:
                self._publish()

    def rebuild(self) -> None:
        """Recompile everything from the stored policies (nightly): drops conditions and terms no longer used."""
        with self._lock:
            policies = [e.policy for e in self._entries.values()]
            self._keys, self._key_ids, self._vocab, self._entries = [], {}, {}, {}
            for p in policies:
                e = self._entry(p)
                self._entries[e.policy_id] = e
            self._publish()

    # -- reading
    @property
    def policy_ids(self) -> list[str]:
        """Policy ids in row order (Digest.policies holds these row numbers)."""
        return self._snap.ids

    def __len__(self) -> int:
        return len(self._snap.ids)

    def entry(self, policy_id: str) -> _Entry:
        """The compiled entry of a policy (its effective conditions, targets and support)."""
        snap = self._snap
        return snap.entries[snap.pos[policy_id]]

    def query_vector(self, docs: Sequence[str], snap: _Snapshot | None = None) -> sp.csr_matrix:
        """TF-IDF rows (unit length) for texts, in the index's vocabulary; unknown words are dropped."""
        snap = snap or self._snap
        return _weigh(_count_rows(self.tokenizer, docs, snap.vocab), snap.idf)


def _count_rows(tokenizer: Tokenizer, docs: Sequence[str], vocab: Mapping[str, int]) -> sp.csr_matrix:
    """Term counts of documents: texts split into jieba blocks, each distinct block tokenised once."""
    block_ids: dict[str, int] = {}
    indptr, indices = [0], []
    for doc in docs:
        for b in _BLOCK.findall(doc or ""):
            indices.append(block_ids.setdefault(b, len(block_ids)))
        indptr.append(len(indices))
    incidence = sp.csr_matrix(
        (np.ones(len(indices), dtype=np.float64), np.array(indices, dtype=np.int64), np.array(indptr)),
        shape=(len(docs), max(len(block_ids), 1)),
    )
    brow, bcol = [], []
    for b, i in block_ids.items():
        for t in tokenizer.block_tokens(b):
            c = vocab.get(t)
            if c is not None:
                brow.append(i), bcol.append(c)
    block_terms = sp.csr_matrix(
        (np.ones(len(brow)), (brow, bcol)), shape=(incidence.shape[1], max(len(vocab), 1))
    )
    out = (incidence @ block_terms).tocsr()
    out.sum_duplicates()
    return out


# ------------------------------------------------------------------ one enterprise


def _order(grades: np.ndarray, scores: np.ndarray, rows: np.ndarray, top: int) -> np.ndarray:
    """The first `top` rows by grade, then similarity (rounded to float32 as the digest stores it), then row."""
    s = scores[rows].astype(np.float32)
    if len(rows) > top > 0:  # keep everything tied with the top-th key, then sort only those
        key = -(2.0 * grades[rows] + s)
        keep = key <= np.partition(key, top - 1)[top - 1]
        rows, s = rows[keep], s[keep]
    return rows[np.lexsort((rows, -s, -grades[rows]))][:top]


def _scores(index: PolicyIndex, snap: _Snapshot, doc: str) -> np.ndarray:
    """Cosine similarity of one text with every policy: read only the matrix rows of the text's own terms."""
    cols = [c for t in index.tokenizer.tokens(doc) if (c := snap.vocab.get(t)) is not None]
    cols, tf = np.unique(np.array(cols, dtype=np.int64), return_counts=True)
    q = _weigh(
        sp.csr_matrix((tf.astype(np.float64), cols, [0, len(cols)]), shape=(1, len(snap.idf))), snap.idf
    )
    mt = snap.matrix_t
    starts, ends = mt.indptr[q.indices], mt.indptr[q.indices + 1]
    lengths = ends - starts
    pos = np.arange(int(lengths.sum())) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    weights = mt.data[pos] * np.repeat(q.data, lengths)
    return np.bincount(mt.indices[pos], weights=weights, minlength=len(snap.ids))


def _amount(support: Mapping[str, Any] | None, profile: Mapping[str, Any]) -> Decimal | None:
    if not support:
        return None
    try:
        return cond.support_amount(support, profile)
    except (KeyError, TypeError, ValueError):  # a support read from text may be incomplete
        return None


def recommend(
    index: PolicyIndex,
    profile: Mapping[str, Any],
    top: int = 20,
    *,
    almost_top: int = 10,
    open_on: date | None = None,
) -> Recommendation:
    """Rank the policies an enterprise qualifies for (targeted first, then by similarity) plus almost-eligible."""
    snap = index._snap
    if not snap.entries:
        return Recommendation([], [])
    table = EnterpriseTable.from_profiles([profile])
    passed, known = snap.evaluate(table, slice(None))
    passed = np.concatenate([passed[0], [True, False]])
    known = np.concatenate([known[0], [True, True]])
    idx = snap.cond_idx
    fails = np.count_nonzero(~passed[idx] & known[idx], axis=1)
    unknown = np.count_nonzero(~known[idx], axis=1)
    targeted = passed[snap.target_idx].any(axis=1)
    grades = np.where(targeted, 2, 1).astype(np.int64)
    scores = _scores(index, snap, table.docs[0])
    is_open = snap.open_mask(open_on)
    ok = np.flatnonzero((fails == 0) & (unknown == 0) & is_open)
    ranked = [
        Item(snap.ids[i], int(grades[i]), float(scores[i]), _amount(snap.entries[i].support, profile))
        for i in _order(grades, scores, ok, top)
    ]
    near = np.flatnonzero((fails == 1) & (unknown == 0) & is_open)
    almost = []
    for i in _order(grades, scores, near, almost_top):
        entry = snap.entries[i]
        missing = next(
            r for r, c in zip(cond.top_nodes(entry.conditions), entry.cond_ids, strict=True) if not passed[c]
        )
        almost.append(AlmostItem(snap.ids[i], int(grades[i]), float(scores[i]), dict(missing)))
    return Recommendation(ranked, almost)


def needs_data(
    index: PolicyIndex, profile: Mapping[str, Any], limit: int = 10, *, open_on: date | None = None
) -> list[str]:
    """Ids (lowest first, at most `limit`) of open policies no condition fails but some cannot be decided.

    Three-valued like conditions.matcher: the top-level conditions are all-of, so the policy is unknown
    exactly when none fails and at least one is unknown."""
    snap = index._snap
    if not snap.entries:
        return []
    table = EnterpriseTable.from_profiles([profile])
    passed, known = snap.evaluate(table, slice(None))
    passed = np.concatenate([passed[0], [True, False]])
    known = np.concatenate([known[0], [True, True]])
    idx = snap.cond_idx
    fails = np.count_nonzero(~passed[idx] & known[idx], axis=1)
    unknown = np.count_nonzero(~known[idx], axis=1)
    rows = np.flatnonzero((fails == 0) & (unknown > 0) & snap.open_mask(open_on))
    # Ids are the database ids as text: shorter first, then by text, is numeric order.
    return sorted((snap.ids[i] for i in rows.tolist()), key=lambda i: (len(i), i))[:limit]


def explain(index: PolicyIndex, policy_id: str, profile: Mapping[str, Any]) -> list[cond.Result]:
    """Each condition of a policy on a profile with ✓/✗/? and its sentence (for the cards shown only)."""
    return cond.evaluate(index.entry(policy_id).conditions, profile)


# ------------------------------------------------------------------ many enterprises


def _bits(passed: np.ndarray) -> np.ndarray:
    """Pack a rows x conditions boolean matrix into conditions x words (uint64, row r = bit r % 64)."""
    rows = passed.shape[0]
    pad = (-rows) % 64
    if pad:
        passed = np.concatenate([passed, np.zeros((pad, passed.shape[1]), dtype=bool)])
    packed = np.packbits(passed, axis=0, bitorder="little")  # (rows/8) x conditions
    return np.ascontiguousarray(packed.T).view(np.uint64)


def _policy_bits(snap: _Snapshot, table: EnterpriseTable, rows: Any, is_open: np.ndarray):
    """(eligible, targeted) as policies x words bitsets for the selected rows."""
    passed, _ = snap.evaluate(table, rows)
    words = _bits(passed)
    full = np.full((1, words.shape[1]), np.uint64(2**64 - 1))
    words = np.concatenate([words, full, np.zeros_like(full)])
    words[snap.always] = full[0]
    elig = words[snap.cond_idx[:, 0]].copy()
    for k in range(1, snap.cond_idx.shape[1]):
        elig &= words[snap.cond_idx[:, k]]
    elig[~is_open] = 0
    targ = words[snap.target_idx[:, 0]] | words[snap.target_idx[:, 1]]
    return elig, targ & elig


def _unpack(bits: np.ndarray, rows: int) -> np.ndarray:
    return np.unpackbits(bits.view(np.uint8), axis=1, bitorder="little", count=rows).view(bool)


def audience(
    source: PolicyIndex | Mapping[str, Any],
    table: EnterpriseTable,
    policy_id: str | None = None,
    *,
    text_only: bool = False,
) -> np.ndarray:
    """Row numbers of the enterprises that qualify for one policy (a stored one, or a draft Mapping)."""
    if isinstance(source, PolicyIndex):
        index = source
        entry = index.entry(policy_id)
    else:
        index = PolicyIndex([], text_only=text_only, tokenizer=_NO_TEXT)
        entry = index._entry(source)
    keys = index._keys
    needed: dict[int, int] = {}  # key id -> position in the small compiled set (children first)

    def need(c: int) -> None:
        if c in needed:
            return
        f, _, value = keys[c]
        if f.startswith(_TREE):
            for child in value:
                need(child)
        needed[c] = len(needed)

    for c in entry.cond_ids:
        need(c)
    sub = []
    for c in needed:
        f, op, value = keys[c]
        sub.append((f, op, tuple(needed[v] for v in value)) if f.startswith(_TREE) else (f, op, value))
    passed, _ = _Compiled(sub).evaluate(table, slice(None))
    cols = [needed[c] for c in entry.cond_ids]
    return np.flatnonzero(passed[:, cols].all(axis=1) if cols else np.ones(len(table), dtype=bool))


class _NoText(Tokenizer):
    def tokens(self, text: str) -> list[str]:
        return []


_NO_TEXT = _NoText()


def _enterprise_matrix(index: PolicyIndex, snap: _Snapshot, table: EnterpriseTable) -> sp.csr_matrix:
    key = (id(snap), "tfidf")
    hit = table._text_cache.get(key)
    if hit is None:
        table._text_cache.clear()  # one index version at a time: the matrix is as big as the table
        hit = index.query_vector(table.docs or [""] * len(table), snap)
        hit.sort_indices()
        table._text_cache[key] = hit
    return hit


def _padded(enterprise: sp.csr_matrix, start: int, stop: int, width: int) -> tuple[np.ndarray, ...]:
    """Rows start..stop as (term columns, weights, lengths), padded to the longest row with the zero column."""
    block = enterprise[start:stop]
    lengths = np.diff(block.indptr)
    longest = int(lengths.max()) if len(lengths) else 0
    cols = np.full((stop - start, max(longest, 1)), width, dtype=np.int32)
    vals = np.zeros((stop - start, max(longest, 1)), dtype=np.float32)
    at = np.arange(block.nnz) - np.repeat(block.indptr[:-1], lengths)
    rows = np.repeat(np.arange(stop - start), lengths)
    cols[rows, at], vals[rows, at] = block.indices, block.data
    return cols, vals, lengths


def _pair_scores(
    dense: np.ndarray, padded: tuple[np.ndarray, ...], pi: np.ndarray, pj: np.ndarray
) -> np.ndarray:
    """Similarity of pairs (chunk row pi, policy pj): gather the policy weights at the enterprise's terms.

    Pairs are bucketed by how many terms their enterprise has, so each bucket is one dense gather with no
    padding wasted and no per-element index arithmetic beyond one add.
    """
    cols, vals, lengths = padded
    flat = dense.ravel()
    out = np.zeros(len(pi), dtype=np.float32)
    small = np.int16 if cols.shape[1] < 2**15 else np.int32
    n_terms = lengths[pi].astype(small)  # small ints: the stable sort is a radix sort
    order = np.argsort(n_terms, kind="stable")
    bounds = np.searchsorted(n_terms[order], np.arange(cols.shape[1] + 2))
    base = pj.astype(np.int64) * dense.shape[1]
    for length in range(1, cols.shape[1] + 1):
        sel = order[bounds[length] : bounds[length + 1]]
        for s in range(0, len(sel), 1 << 17):
            part = sel[s : s + (1 << 17)]
            rows = pi[part]
            gathered = flat[base[part, None] + cols[rows, :length]]
            out[part] = np.einsum("ij,ij->i", gathered, vals[rows, :length])
    return out


class _DigestWork:
    """What one digest run shares with its worker processes (inherited by fork, never pickled)."""

    def __init__(self, index: PolicyIndex, table: EnterpriseTable, top: int, open_on: date | None):
        self.snap = snap = index._snap
        self.table, self.top = table, top
        self.is_open = snap.open_mask(open_on)
        matrix = _enterprise_matrix(index, snap, table)
        # only the terms some enterprise uses matter: a dense policy block over them makes pair scoring a gather
        used = np.unique(matrix.indices)
        remap = np.full(matrix.shape[1] + 1, len(used), dtype=np.int64)
        remap[used] = np.arange(len(used))
        self.enterprise = sp.csr_matrix(
            (matrix.data.astype(np.float32), remap[matrix.indices], matrix.indptr),
            shape=(matrix.shape[0], len(used) + 1),
        )
        dense = np.zeros((len(snap.ids), len(used) + 1), dtype=np.float32)
        if len(used):
            dense[:, : len(used)] = snap.matrix[:, used].toarray()
        self.dense, self.width = dense, len(used)

    def chunk(self, start: int, stop: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
        """Top lists for table rows start..stop."""
        n, top = stop - start, self.top
        elig, targ = _policy_bits(self.snap, self.table, slice(start, stop), self.is_open)
        t = _unpack(targ, n)  # policies x rows
        # a row with enough targeted policies never shows a general one: score only what can reach its top
        full = _bits((t.sum(axis=0) >= top)[:, None])[0]
        pj, pi = np.nonzero(_unpack((targ & full) | (elig & ~full), n))
        grade = t[pj, pi].astype(np.int8) + 1
        scores = _pair_scores(self.dense, _padded(self.enterprise, start, stop, self.width), pi, pj)
        # one stable sort: by row, then grade and score descending; ties keep policy order (as recommend does)
        key = pi * 8.0 + (5.0 - (2.0 * grade + scores.astype(np.float64)))
        order = np.argsort(key, kind="stable")
        pi, pj, scores, grade = pi[order], pj[order], scores[order], grade[order]
        first = np.searchsorted(pi, np.arange(n))
        rank = np.arange(len(pi)) - first[pi]
        keep = rank < top
        out_p = np.full((n, top), -1, dtype=np.int32)
        out_g = np.zeros((n, top), dtype=np.int8)
        out_s = np.zeros((n, top), dtype=np.float32)
        out_p[pi[keep], rank[keep]] = pj[keep]
        out_g[pi[keep], rank[keep]] = grade[keep]
        out_s[pi[keep], rank[keep]] = scores[keep]
        return start, out_p, out_g, out_s


_WORK: _DigestWork | None = None


def _run_chunk(bounds: tuple[int, int]):
    return _WORK.chunk(*bounds)


def digest(
    index: PolicyIndex,
    table: EnterpriseTable,
    top: int = 20,
    *,
    chunk: int = 4096,
    workers: int = 1,
    open_on: date | None = None,
) -> Digest:
    """Top-`top` eligible policies for every enterprise (nightly), chunked; `workers` > 1 forks processes."""
    global _WORK
    n = len(table)
    out = Digest(
        np.full((n, top), -1, dtype=np.int32),
        np.zeros((n, top), dtype=np.int8),
        np.zeros((n, top), np.float32),
    )
    if not len(index) or not n:
        return out
    _WORK = _DigestWork(index, table, top, open_on)
    bounds = [(s, min(s + chunk, n)) for s in range(0, n, chunk)]
    try:
        if workers > 1:
            import multiprocessing as mp

            with mp.get_context("fork").Pool(workers) as pool:
                results = pool.imap_unordered(_run_chunk, bounds)
                for start, p, g, s in results:
                    out.policies[start : start + len(p)], out.grades[start : start + len(p)] = p, g
                    out.scores[start : start + len(p)] = s
        else:
            for b in bounds:
                start, p, g, s = _WORK.chunk(*b)
                out.policies[start : start + len(p)], out.grades[start : start + len(p)] = p, g
                out.scores[start : start + len(p)] = s
    finally:
        _WORK = None
    return out


def eligible_pairs(
    index: PolicyIndex, table: EnterpriseTable, *, chunk: int = 16384, open_on: date | None = None
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield (policy rows, table rows) of every eligible pair, chunk by chunk of enterprises."""
    snap = index._snap
    is_open = snap.open_mask(open_on)
    for start in range(0, len(table), chunk):
        stop = min(start + chunk, len(table))
        elig, _ = _policy_bits(snap, table, slice(start, stop), is_open)
        pj, ri = np.nonzero(_unpack(elig, stop - start))
        yield pj, ri + start


def rank_rows(
    index: PolicyIndex, table: EnterpriseTable, top: int = 20, **kwargs: Any
) -> Iterator[tuple[str, str, int, float]]:
    """(enterprise id, policy id, rank, score) rows of every enterprise's top list, for ranking files."""
    d = digest(index, table, top, **kwargs)
    ids = index.policy_ids
    for r in range(len(table)):
        for k in range(top):
            p = d.policies[r, k]
            if p < 0:
                break
            yield table.ids[r], ids[p], k + 1, round(float(d.grades[r, k]) + float(d.scores[r, k]), 6)


def delivery_rows(index: PolicyIndex, table: EnterpriseTable, **kwargs: Any) -> Iterator[tuple[str, str]]:
    """(policy id, enterprise id) rows: every enterprise each policy would be pushed to."""
    ids = index.policy_ids
    for pj, ri in eligible_pairs(index, table, **kwargs):
        for j, i in zip(pj.tolist(), ri.tolist(), strict=True):
            yield ids[j], table.ids[i]


__all__ = [
    "AlmostItem",
    "Digest",
    "EnterpriseTable",
    "Item",
    "PolicyIndex",
    "Recommendation",
    "Tokenizer",
    "audience",
    "years_column",
    "delivery_rows",
    "digest",
    "eligible_pairs",
    "enterprise_text",
    "explain",
    "needs_data",
    "policy_text",
    "rank_rows",
    "recommend",
]
