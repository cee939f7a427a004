"""Generate a realistic synthetic population for the speed benchmarks: enterprises and policies.

  .venv/bin/python bench/synth.py [--enterprises 1000000] [--policies 10000] [--out bench/out/synth]

Vocabularies are reused from the dev benchmark (business-scope items and product sentences per industry class,
streets, the 100 policies as templates); everything else is drawn with vectorised numpy under the generation
rules of SCHEMA.md (规上 iff section C and revenue ≥ 2000, 高新 only with R&D ratio ≥ 3% and ≥ 1 year, …).
Writes enterprises.npz (columns; texts as indices into the vocabularies) and policies.jsonl.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal import reference  # noqa: E402

AS_OF = date(2026, 6, 30)
QUALS = reference.QUALIFICATIONS
BIT = {q: np.uint64(1 << i) for i, q in enumerate(QUALS)}
OTHER_DISTRICTS = {"南山区": 106, "龙岗区": 112, "龙华区": 105, "光明区": 60, "福田区": 38, "罗湖区": 37}


def _vocabularies(dev: Path) -> dict:
    """Scope items, description sentences and streets per industry/district, read from the dev enterprises."""
    items, sentences = defaultdict(set), defaultdict(set)
    streets, industries = defaultdict(set), defaultdict(int)
    for line in (dev / "enterprises.jsonl").read_text(encoding="utf-8").splitlines():
        e = json.loads(line)
        code = e["industry_code"]
        industries[code] += 1
        streets[e["registered_district"]].add(e["street"])
        for part in re.split("[；。]", e["business_scope"]):
            part = re.sub("^(一般经营项目是|许可经营项目是)：", "", part).strip()
            if part and part != "无":
                items[code].add(part)
        for s in re.split("(?<=。)", e["description"]):
            if s:
                sentences[code].add(s)
    codes = sorted(industries)
    return {
        "codes": codes,
        "weights": np.array([industries[c] for c in codes], dtype=float) / sum(industries.values()),
        "items": {c: sorted(items[c]) for c in codes},
        "sentences": {c: sorted(sentences[c]) for c in codes},
        "streets": {d: sorted(s) for d, s in streets.items()},
    }


def _uscc(district_codes: np.ndarray, seq: np.ndarray) -> np.ndarray:
    """Valid GB 32100-2015 codes "91" + district + 8-digit sequence + org check + check, vectorised."""
    charset = reference.USCC_CHARSET
    digits = np.stack([(seq // 10**k) % 10 for k in range(7, -1, -1)], axis=1)
    org = 11 - (digits * np.array([3, 7, 9, 10, 5, 8, 4, 2])).sum(axis=1) % 11
    org_char = np.where(org == 10, charset.index("X"), np.where(org == 11, 0, org))  # X, 0, or the digit
    dist = np.stack([(district_codes // 10**k) % 10 for k in range(5, -1, -1)], axis=1)
    first17 = np.concatenate([np.tile([9, 1], (len(seq), 1)), dist, digits, org_char[:, None]], axis=1)
    weights = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
    check = (31 - (first17 * weights).sum(axis=1) % 31) % 31
    chars = np.array(list(charset))
    full = chars[np.concatenate([first17, check[:, None]], axis=1)]
    return full.view("<U18").ravel()


def enterprises(n: int, vocab: dict, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """n enterprises as columns (money in tenths of 万元)."""
    codes = np.array(vocab["codes"])
    ind = rng.choice(len(codes), n, p=vocab["weights"])
    industry = codes[ind]
    section = np.array([c[0] for c in codes])[ind]
    division = np.array([c[:3] for c in codes])[ind]
    others = list(OTHER_DISTRICTS)
    w = np.array(list(OTHER_DISTRICTS.values()), dtype=float)
    district_names = np.array(["宝安区", *others])
    dist = np.where(rng.random(n) < 0.85, 0, 1 + rng.choice(len(others), n, p=w / w.sum()))
    district = district_names[dist]
    street = np.empty(n, dtype=object)
    for k, name in enumerate(district_names):
        rows = np.flatnonzero(dist == k)
        pool = reference.STREETS if name == "宝安区" else vocab["streets"].get(name, ["街道"])
        street[rows] = np.array(pool)[rng.integers(0, len(pool), len(rows))]
    age_days = np.minimum(rng.exponential(7 * 365.25, n), 31 * 365).astype(np.int64)
    founded = np.datetime64(AS_OF) - age_days.astype("timedelta64[D]")
    years = age_days / 365.25
    employees = np.clip(np.round(rng.lognormal(2.9, 1.4, n)), 1, 30000).astype(np.int64)
    revenue = np.round(employees * rng.lognormal(np.log(35), 0.8, n) * 10).astype(np.int64)
    revenue[rng.random(n) < 0.03] = 0
    assets = np.round(revenue * rng.lognormal(-0.2, 0.5, n) + rng.integers(10, 500, n)).astype(np.int64)
    rd = np.where(rng.random(n) < 0.45, 0, np.round(revenue * rng.lognormal(np.log(0.035), 0.7, n))).astype(
        np.int64
    )
    tax = np.round(revenue * rng.lognormal(np.log(0.03), 0.5, n)).astype(np.int64)
    rd_ratio = np.where(revenue > 0, rd / np.maximum(revenue, 1), 0)
    not_large = employees < 1000
    u = rng.random((n, 12))
    q = np.zeros(n, dtype=np.uint64)

    def grant(name: str, mask: np.ndarray) -> None:
        q[mask] |= BIT[name]

    grant("规模以上工业企业", (section == "C") & (revenue >= 20000))
    grant(
        "限额以上批发零售企业",
        ((division == "F51") & (revenue >= 20000)) | ((division == "F52") & (revenue >= 5000)),
    )
    grant("国家高新技术企业", (rd_ratio >= 0.03) & (years >= 1) & (u[:, 0] < 0.45))
    tech = not_large & (rd > 0) & (u[:, 1] < 0.3)
    grant("科技型中小企业", tech)
    innov = not_large & (rd > 0) & (u[:, 2] < 0.13)
    special = innov & (u[:, 3] < 0.15)
    giant = special & (u[:, 4] < 0.35)
    grant("创新型中小企业", innov)
    grant("专精特新中小企业", special)
    grant('专精特新"小巨人"企业', giant)
    grant("制造业单项冠军企业", (section == "C") & (employees >= 300) & (u[:, 5] < 0.05))
    grant("绿色工厂", (section == "C") & (u[:, 6] < 0.02))
    grant("上市企业", (revenue >= 50000) & (u[:, 7] < 0.3) | (u[:, 8] < 0.003))
    grant("总部企业", (revenue >= 100000) & (u[:, 9] < 0.3))
    grant("知识产权优势企业", (rd > 0) & (u[:, 10] < 0.05))
    # texts: 3-7 scope items and 1-2 product sentences of the firm's industry
    all_items, all_sentences = [], []
    item_base, sent_base = {}, {}
    for c in codes:
        item_base[c], sent_base[c] = len(all_items), len(all_sentences)
        all_items += vocab["items"][c]
        all_sentences += vocab["sentences"][c]
    n_items = np.array([len(vocab["items"][c]) for c in codes])[ind]
    n_sent = np.array([len(vocab["sentences"][c]) for c in codes])[ind]
    k_items = rng.integers(3, 8, n)
    scope = (
        np.floor(rng.random((n, 7)) * n_items[:, None]).astype(np.int32)
        + np.array([item_base[c] for c in codes], dtype=np.int32)[ind][:, None]
    )
    scope[np.arange(7)[None, :] >= k_items[:, None]] = -1
    desc = (
        np.floor(rng.random((n, 2)) * n_sent[:, None]).astype(np.int32)
        + np.array([sent_base[c] for c in codes], dtype=np.int32)[ind][:, None]
    )
    desc[rng.random(n) < 0.6, 1] = -1
    district_code = np.array([int(reference.DISTRICT_CODES[d]) for d in district_names])[dist]
    return {
        "uscc": _uscc(district_code, np.arange(n) * (10**8 // n) + rng.integers(0, 10**8 // n, n)),
        "registered_district": district.astype(str),
        "street": street.astype(str),
        "industry_code": industry,
        "founded": founded,
        "employees": employees,
        "revenue_tenths": revenue,
        "assets_tenths": assets,
        "rd_expense_tenths": rd,
        "tax_paid_tenths": tax,
        "qualifications": q,
        "credit_ok": rng.random(n) >= 0.027,
        "scope": scope,
        "description": desc,
        "item_vocab": np.array(all_items),
        "sentence_vocab": np.array(all_sentences),
    }


_NICE = np.array(
    [
        1,
        2,
        3,
        5,
        8,
        10,
        20,
        30,
        50,
        80,
        100,
        150,
        200,
        300,
        500,
        800,
        1000,
        2000,
        3000,
        5000,
        10000,
        20000,
        50000,
    ]
)


def _nice(x: float) -> int:
    return int(_NICE[np.argmin(np.abs(np.log(_NICE) - np.log(max(x, 1))))])


def _mixed(t: dict, rng: np.random.Generator) -> None:
    """Give a policy an any-group (qualification or an R&D-and-revenue alternative) or a tiered support rule."""
    rows = t["criteria"]["all"]
    if rng.random() < 0.5:
        alternative = {
            "all": [
                {"field": "rd_ratio", "op": "gte", "value": float(rng.choice([0.03, 0.04, 0.06]))},
                {"field": "revenue_wan", "op": "gte", "value": int(rng.choice([2000, 5000, 10000]))},
            ]
        }
        at = next((i for i, r in enumerate(rows) if r["field"] == "qualifications"), None)
        if at is None:
            rows.append({"any": [alternative, {"field": "employees", "op": "gte", "value": 50}]})
        else:
            rows[at] = {"any": [rows[at], alternative]}
    else:
        t["support"] = {
            "kind": "tiers",
            "base": "revenue_wan",
            "tiers": [
                {"gte": 10000, "amount_wan": 50},
                {"gte": 50000, "amount_wan": 100},
                {"gte": 100000, "amount_wan": 200},
            ],
        }


def policies(m: int, dev: Path, rng: np.random.Generator, mix: float = 0.0) -> list[dict]:
    """m policies: variants of the dev policies (other thresholds, places, industries, qualifications, dates).

    mix: the share given an any-group or a tiered support rule (issue 11's speed check asks for ≥ 20%).
    """
    templates = [
        json.loads(line) for line in (dev / "policies.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    prefixes = sorted({c[:k] for c in (i.code for i in reference.industry_classes()) for k in (1, 3, 4, 5)})
    used = sorted(
        {c for t in templates for x in t["criteria"]["all"] if x["op"] == "prefix_in" for c in x["value"]}
    )
    out = []
    for k in range(m):
        t = json.loads(json.dumps(templates[k % len(templates)]))
        rows, targets = t["criteria"]["all"], t["targets"]
        swap_industry = rng.random() < 0.6
        new_prefixes = None
        if swap_industry:  # mostly prefixes the population has, sometimes any GB/T 4754 prefix
            pool = used if rng.random() < 0.7 else prefixes
            new_prefixes = sorted({pool[i] for i in rng.integers(0, len(pool), rng.integers(1, 4))})
        for row in rows:
            if row["field"] in ("revenue_wan", "assets_wan", "rd_expense_wan", "tax_paid_wan", "employees"):
                row["value"] = _nice(row["value"] * rng.choice([0.25, 0.5, 1, 2, 4]))
            elif row["field"] == "rd_ratio":
                row["value"] = float(rng.choice([0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1]))
            elif row["field"] == "years_since_founded":
                row["value"] = int(rng.integers(1, 11))
            elif row["field"] == "industry_code" and row["op"] == "prefix_in" and new_prefixes:
                row["value"] = new_prefixes
            elif row["field"] == "qualifications" and row["op"] == "contains_any" and rng.random() < 0.3:
                row["value"] = sorted(set(rng.choice(QUALS, rng.integers(1, 3), replace=False).tolist()))
                if targets["qualifications"]:
                    targets["qualifications"] = row["value"]
        if new_prefixes and targets["industries"]:
            targets["industries"] = new_prefixes
        if rng.random() < 0.15 and rows and rows[0]["value"] == "宝安区":
            rows.insert(1, {"field": "street", "op": "eq", "value": str(rng.choice(reference.STREETS))})
        names = "、".join(i.name for p in targets["industries"] for i in reference.industry_chain(p)[-1:])
        t["id"] = f"S-{k + 1:05d}"
        t["title"] = f"{t['title']}（{2024 + k % 3}年第{k // len(templates) + 1}批）"
        t["text"] = (f"本批次重点支持{names}等领域企业。" if names else "") + t["text"]
        t["deadline"] = str(np.datetime64("2026-07-01") + int(rng.integers(0, 300)))
        # a fixed share, not drawn, so that without --mix the random stream stays as it was
        if mix and (k * 7919 % 1000) / 1000 < mix:
            _mixed(t, rng)
        out.append(t)
    return out


def main() -> int:
    """Generate and write the population; print timings."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--enterprises", type=int, default=1_000_000)
    ap.add_argument("--policies", type=int, default=10_000)
    ap.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "bench" / "policy_match" / "dev")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "synth")
    ap.add_argument("--seed", type=int, default=20260630)
    ap.add_argument("--mix", type=float, default=0.0, help="share of policies with an any-group or tiers")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rng = np.random.default_rng(a.seed)
    vocab = _vocabularies(a.dev)
    cols = enterprises(a.enterprises, vocab, rng)
    np.savez(a.out / "enterprises.npz", **cols)
    t1 = time.perf_counter()
    with (a.out / "policies.jsonl").open("w", encoding="utf-8") as fh:
        for p in policies(a.policies, a.dev, rng, a.mix):
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    t2 = time.perf_counter()
    print(
        f"{a.enterprises} enterprises in {t1 - started:.1f} s, {a.policies} policies in {t2 - t1:.1f} s → {a.out}"
    )
    return 0


def load_enterprises(path: Path, as_of: date = AS_OF):
    """Read enterprises.npz into (EnterpriseTable, [(business_scope, description)]) — texts rebuilt."""
    from portal.policies.recommender import EnterpriseTable, enterprise_text

    z = np.load(path)
    items, sentences = z["item_vocab"].tolist(), z["sentence_vocab"].tolist()
    industry = z["industry_code"]
    docs, parts = [], []
    for scope, desc, code in zip(
        z["scope"].tolist(), z["description"].tolist(), industry.tolist(), strict=True
    ):
        text = "一般经营项目是：" + "；".join(items[i] for i in scope if i >= 0) + "；许可经营项目是：无。"
        about = "".join(sentences[i] for i in desc if i >= 0)
        parts.append((text, about))
        docs.append(enterprise_text({"business_scope": text, "description": about, "industry_code": code}))
    columns = {
        "registered_district": z["registered_district"],
        "street": z["street"],
        "industry_code": industry,
        "founded": z["founded"],
        "employees": z["employees"],
        "qualifications": z["qualifications"],
        "credit_ok": z["credit_ok"],
    }
    for name in ("revenue", "assets", "rd_expense", "tax_paid"):
        columns[f"{name}_wan"] = (z[f"{name}_tenths"], 10)
    return EnterpriseTable.from_columns(z["uscc"].tolist(), columns, as_of, docs), parts


if __name__ == "__main__":
    sys.exit(main())
