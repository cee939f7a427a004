"""Check the condition engine against the dev benchmark: eligibility of every pair, then 秒批 decisions.

  .venv/bin/python bench/check_exact_semantics.py [--bench ../shared/bench/policy_match] [--as-of 2026-06-30]
Writes bench/results/decide_plan_dev.tsv and bench/results/decisions_dev.json; exits 1 unless everything is exact.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.approvals.rules import decide_plan  # noqa: E402
from portal.conditions import derive, matcher, normalize  # noqa: E402
from portal.jsonl import read_jsonl  # noqa: E402


def main() -> int:
    """Run the check and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "policy_match")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 6, 30))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    dev = args.bench / "dev"
    policies = [p for _, p in read_jsonl(dev / "policies.jsonl")]
    enterprises = [e for _, e in read_jsonl(dev / "enterprises.jsonl")]
    for p in policies:
        normalize(p["criteria"])  # every dev policy must validate

    started = time.perf_counter()
    runs = [(p["id"], matcher(p["criteria"])) for p in policies]
    ours = {}
    for e in enterprises:
        profile = derive(e, args.as_of)
        for pid, run in runs:
            ours[(e["uscc"], pid)] = run(profile) == "pass"
    elapsed = time.perf_counter() - started
    with open(dev / "qrels.tsv", encoding="utf-8") as fh:
        qrels = {(r["enterprise_uscc"], r["policy_id"]): r for r in csv.DictReader(fh, delimiter="\t")}
    gold = {k: int(r["grade"]) >= 1 for k, r in qrels.items()}
    agree = sum(ours.get(k) == v for k, v in gold.items())
    print(
        f"eligibility: {agree:,}/{len(gold):,} pairs agree with qrels ({elapsed:.1f} s for {len(ours):,} pairs)"
    )

    args.out.mkdir(parents=True, exist_ok=True)
    plan = args.out / "decide_plan_dev.tsv"
    same_text = approved = 0
    with open(plan, "w", encoding="utf-8") as fh:
        fh.write("enterprise_uscc\tpolicy_id\tdecision\tamount_wan\n")
        for row in decide_plan(policies, enterprises, args.as_of):
            fh.write("\t".join(row) + "\n")
            if row[2] == "approve":
                approved += 1
                same_text += row[3] == qrels[row[0], row[1]]["amount_wan"]
    print(
        f"amounts: {same_text:,}/{approved:,} approved amounts equal the qrels text character for character"
    )
    report = args.out / "decisions_dev.json"
    cmd = [
        sys.executable,
        str(args.bench / "evaluate.py"),
        "--qrels",
        str(dev / "qrels.tsv"),
        "--decisions",
        str(plan),
    ]
    cmd += ["--policies", str(dev / "policies.jsonl"), "--json", str(report)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    m = json.loads(report.read_text(encoding="utf-8"))
    m = m.get("decisions", m)
    print(
        f"decisions: {m['n_decisions']:,} pairs, accuracy {m['accuracy']:.4f}, amount_exact {m['amount_exact_rate']:.4f}, "
        f"wrongly approved {m['n_wrongly_approved']}, review {m['n_review']}"
    )
    exact = agree == len(gold) == len(ours) and m["accuracy"] == 1.0 and m["amount_exact_rate"] == 1.0
    exact = exact and m["n_wrongly_approved"] == 0 and m["n_review"] == 0 and same_text == approved
    print("EXACT" if exact else "NOT EXACT")
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
