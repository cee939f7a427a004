"""Compute bench/heldout/qrels.tsv: the 40 held-out policies x the 3,000 dev enterprises (SCHEMA.md exact rules).

Uses the portal's exact-semantics engine (portal.conditions: derive / eligible / support_amount), as_of 2026-06-30.
grade 2 = eligible and (industry_code starts with a targets.industries prefix, or holds a targets.qualifications
entry); 1 = eligible otherwise; 0 = not eligible. amount_wan only for eligible pairs of instant policies.

    .venv/bin/python bench/heldout/make_qrels.py
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from portal.conditions import derive, eligible, support_amount, validate, validate_support  # noqa: E402
from portal.reference import POLICY_CATEGORIES  # noqa: E402

AS_OF = date(2026, 6, 30)
DEV = ROOT.parent / "shared" / "bench" / "policy_match" / "dev"
CATEGORIES = set(POLICY_CATEGORIES)


def main() -> int:
    policies = [json.loads(line) for line in (HERE / "policies.jsonl").open(encoding="utf-8")]
    firms_path = HERE / "enterprises.jsonl"
    if not firms_path.exists():
        firms_path = DEV / "enterprises.jsonl"
    firms = [json.loads(line) for line in firms_path.open(encoding="utf-8")]
    profiles = [derive(f, AS_OF) for f in firms]

    problems = []
    ids = [p["id"] for p in policies]
    if len(set(ids)) != len(ids):
        problems.append("duplicate ids")
    for p in policies:
        for msg in validate(p["criteria"]):
            problems.append(f"{p['id']} criteria: {msg}")
        for msg in validate_support(p["support"]):
            problems.append(f"{p['id']} support: {msg}")
        if p["category"] not in CATEGORIES:
            problems.append(f"{p['id']} category {p['category']}")
        if p["instant"] and p["support"]["kind"] == "interest":
            problems.append(f"{p['id']} instant with interest support")
    if problems:
        print("\n".join(problems))
        return 1

    rows = ["enterprise_uscc\tpolicy_id\tgrade\tamount_wan"]
    stats = {}
    for prof in profiles:
        quals = set(prof["qualifications"] or ())
        code = prof["industry_code"] or ""
        for p in policies:
            ok = eligible(p["criteria"], prof)
            amount = ""
            if ok:
                t = p["targets"]
                hit = any(code.startswith(x) for x in t["industries"]) or bool(
                    quals & set(t["qualifications"])
                )
                grade = 2 if hit else 1
                if p["instant"]:
                    a = support_amount(p["support"], prof)
                    amount = "" if a is None else f"{a:.2f}"
            else:
                grade = 0
            s = stats.setdefault(p["id"], [0, 0, 0])
            s[grade] += 1
            rows.append(f"{prof['uscc']}\t{p['id']}\t{grade}\t{amount}")
    (HERE / "qrels.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")

    bad = []
    n = len(profiles)
    print(f"{'policy':7s} {'elig':>5s} {'share':>7s} {'grade2':>6s}  style/category")
    for p in policies:
        g0, g1, g2 = stats[p["id"]]
        share = (g1 + g2) / n
        flag = "" if 0.005 <= share <= 1.0 and g1 + g2 > 0 else "  <-- OUT OF RANGE"
        if flag:
            bad.append(p["id"])
        print(
            f"{p['id']:7s} {g1 + g2:5d} {share:7.2%} {g2:6d}  {p['category']}{'  instant' if p['instant'] else ''}{flag}"
        )
    print(f"wrote {len(rows) - 1} pairs; eligible pairs {sum(s[1] + s[2] for s in stats.values())}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
