"""Score the policy reader on the hand-labelled real-style passages in bench/reader_real/passages.jsonl.

    .venv/bin/python bench/reader_real_eval.py [--show] [--json OUT]

Condition precision / recall over the top-level members of each conditions tree (rows, with a `not` around one
row read as its negated op, and `any`/`not` groups compared as whole canonical groups), exact-match count, support
match count, static contradictions, proposals that admit nobody where the label admits someone, and eligibility
agreement over a 3,000-firm population (bench/heldout/enterprises.jsonl, given the contract's new fields by a seeded
generator), and how many of the labelled 未能识别 spans (`expected.unread`, e.g. places outside the region) the reader
reports. Trees are evaluated by portal.conditions (the portal's own three-valued tree evaluator).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from portal import conditions as rules  # noqa: E402
from portal import reference  # noqa: E402
from portal.policies.text_conditions import read_policy  # noqa: E402

HERE = Path(__file__).resolve().parent
PASSAGES = HERE / "reader_real" / "passages.jsonl"
FIRMS = HERE / "heldout" / "enterprises.jsonl"
AS_OF = date(2026, 6, 30)
_NEGATED = {
    "eq": "ne",
    "ne": "eq",
    "in": "not_in",
    "not_in": "in",
    "contains_any": "not_contains_any",
    "not_contains_any": "contains_any",
    "gte": "lt",
    "lt": "gte",
    "gt": "lte",
    "lte": "gt",
}
PASS = rules.PASS


def _same_classes(prefix: str) -> str:
    """The shortest GB/T 4754 prefix naming the same classes (K, K70, K701 all mean 房地产开发经营)."""
    classes = [c.code for c in reference.industry_classes() if c.code.startswith(prefix)]
    for n in range(1, len(prefix)):
        if [c.code for c in reference.industry_classes() if c.code.startswith(prefix[:n])] == classes:
            return prefix[:n]
    return prefix


def _covering_prefixes(classes: list[str]) -> list[str]:
    """The broadest GB/T 4754 prefixes whose classes are all in the list (the list read as prefixes)."""
    wanted = set(classes)
    every = [c.code for c in reference.industry_classes()]
    out: list[str] = []
    for code in sorted(wanted):
        for n in range(1, len(code) + 1):
            under = {c for c in every if c.startswith(code[:n])}
            if under and under <= wanted:
                if code[:n] not in out:
                    out.append(code[:n])
                break
    return out


def _row_key(row: dict[str, Any], negate: bool = False) -> str:
    op, value = row["op"], row["value"]
    if negate:
        op = _NEGATED[op] if op in _NEGATED else "not_" + op
    if row["field"] == "industry_code" and op in ("in", "not_in"):
        # a list of classes is the prefix test over the same classes (not_in [F5128] = not prefix F5128)
        value, op = _covering_prefixes(value), ("not_prefix_in" if op == "not_in" else "prefix_in")
    if row["field"] == "industry_code" and op.endswith("prefix_in"):
        value = [_same_classes(v) for v in value]
    if isinstance(value, list):
        value = sorted(value)
    return json.dumps([row["field"], op, value], ensure_ascii=False)


def canonical(node: dict[str, Any], negate: bool = False) -> str:
    """Return one canonical string for a node (group members sorted, a `not` pushed into a single row)."""
    if "field" in node:
        return _row_key(node, negate)
    if "not" in node:
        return canonical(node["not"], not negate)
    kind = "all" if "all" in node else "any"
    members = sorted(canonical(n) for n in node[kind])
    if len(members) == 1 and not negate:
        return members[0]
    return ("NOT " if negate else "") + kind + "(" + "|".join(members) + ")"


def members(tree: dict[str, Any]) -> set[str]:
    """The top-level members of a conditions tree (nested all groups flattened into the root)."""
    out: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if "all" in node:
            stack += node["all"]
        else:
            out.add(canonical(node))
    return out


def population() -> list[dict[str, Any]]:
    """The heldout firms with derived fields plus seeded tax/operating district, growth and prior approvals."""
    rng = random.Random(12)
    firms = []
    for line in FIRMS.read_text(encoding="utf-8").splitlines():
        profile = rules.derive(json.loads(line), AS_OF)
        home = profile["registered_district"]
        profile["tax_district"] = home if rng.random() < 0.9 else "南山区"
        profile["operating_district"] = (
            home if rng.random() < 0.85 else rng.choice(["宝安区", "南山区", "龙华区"])
        )
        profile["revenue_growth"] = Fraction(rng.randint(-30, 60), 100)
        groups = ["国家高新技术企业认定奖励", "股权融资", "技术改造扶持"]
        profile["prior_approval"] = [g for g in groups if rng.random() < 0.2]
        # "@own": approved before for the policy's own group (the reader's 此前未获得过本区同类奖励)
        profile["approved_groups"] = ("@own",) if rng.random() < 0.2 else ()
        revenue = reference.exact(profile["revenue_wan"])
        profile["revenue_wan_prev"] = revenue / (1 + profile["revenue_growth"])
        firms.append(profile)
    return firms


def contradictory(tree: dict[str, Any]) -> bool:
    """Tell whether two top-level rows on one field can never hold together (eq vs eq, disjoint prefixes)."""
    rows = [n for n in tree.get("all", []) if "field" in n]
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            if a["field"] != b["field"]:
                continue
            if a["op"] == b["op"] == "eq" and a["value"] != b["value"]:
                return True
            if a["op"] == b["op"] == "prefix_in" and not any(
                x.startswith(y) or y.startswith(x) for x in a["value"] for y in b["value"]
            ):
                return True
            if {a["op"], b["op"]} == {"eq", "ne"} and a["value"] == b["value"]:
                return True
            if {a["op"], b["op"]} == {"contains_any", "not_contains_any"} and set(a["value"]) <= set(
                b["value"]
            ):
                return True
    return False


def same_rule(got: Any, want: Any) -> bool:
    """Two support rules say the same: keys at their defaults (None, False, e.g. over_wan, increase) are left out."""

    def canonical(rule: Any) -> Any:
        if isinstance(rule, dict):
            return {k: canonical(v) for k, v in rule.items() if v is not None and v is not False}
        if isinstance(rule, list):
            return [canonical(v) for v in rule]
        return rule

    return canonical(got) == canonical(want)


def _tree_of(reading: Any) -> dict[str, Any]:
    return getattr(reading, "tree", None) or reading.conditions


def score(passages: list[dict[str, Any]], firms: list[dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    """Return (figures, mismatch lines)."""
    tp = fp = fn = exact = support_ok = support_same = contradictions = nobody = invalid = 0
    unread_want = unread_got = 0
    agree = pairs = 0
    by_class: dict[str, list[int]] = {}
    lines = []
    for p in passages:
        reading = read_policy(p["text"], p["title"])
        tree = _tree_of(reading)
        true = p["expected"]["conditions"]
        mine, want = members(tree), members(true)
        tp += len(mine & want)
        fp += len(mine - want)
        fn += len(want - mine)
        same = mine == want
        exact += same
        c = by_class.setdefault(p["class"], [0, 0])
        c[0] += same
        c[1] += 1
        support_ok += reading.support == p["expected"]["support"]
        support_same += same_rule(reading.support, p["expected"]["support"])
        if not same_rule(reading.support, p["expected"]["support"]):
            lines.append(f"{p['id']} support {reading.support} != {p['expected']['support']}")
        contradictions += contradictory(tree)
        if rules.validate(tree):
            invalid += 1
            lines.append(f"{p['id']} invalid tree: {rules.validate(tree)}")
            tree = {"all": []}
        spans = [u[0] if isinstance(u, tuple | list) else u for u in getattr(reading, "unread_spans", ())]
        for piece in p["expected"].get("unread", []):
            unread_want += 1
            hit = any(piece in span for span in spans)
            unread_got += hit
            if not hit:
                lines.append(f"{p['id']} unread span missing: {piece}")
        got_m, should_m = rules.matcher(tree), rules.matcher(true)
        got = [got_m(f) == PASS for f in firms]
        should = [should_m(f) == PASS for f in firms]
        if not any(got) and any(should):
            nobody += 1
        agree += sum(g == s for g, s in zip(got, should, strict=True))
        pairs += len(firms)
        if not same:
            lines.append(
                f"{p['id']} [{p['class']}] extra={sorted(mine - want)} missing={sorted(want - mine)}"
            )
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    figures = {
        "passages": len(passages),
        "condition_precision": round(precision, 3),
        "condition_recall": round(recall, 3),
        "exact": exact,
        "support_exact": support_ok,
        "support_same_rule": support_same,  # as support_exact, with keys at their defaults left out
        "contradictions": contradictions,
        "admits_nobody": nobody,
        "eligibility_agreement": round(agree / pairs, 4) if pairs else 1.0,
        "invalid_trees": invalid,
        "unread_reported": f"{unread_got}/{unread_want}",
        "exact_by_class": {k: f"{v[0]}/{v[1]}" for k, v in sorted(by_class.items())},
    }
    return figures, lines


def main() -> int:
    """Print the figures (and the mismatches with --show)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--passages", type=Path, default=PASSAGES, help="a passages.jsonl (default reader_real)"
    )
    args = parser.parse_args()
    passages = [json.loads(x) for x in args.passages.read_text(encoding="utf-8").splitlines() if x.strip()]
    figures, lines = score(passages, population())
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    if args.show:
        print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
