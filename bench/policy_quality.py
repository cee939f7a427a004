"""Policy-matching quality on the shared dev set, through the portal's own offline commands.

Runs `flask policies rank` and `flask policies deliver-plan` (with conditions, and --text-only) and
`flask approvals decide-plan`, scores each with ../shared/bench/policy_match/evaluate.py, prints the tables and,
with --check, exits 1 when a target of the issues is missed:

- with conditions: nDCG@10 >= 0.98, EligP@10 = 1.000, delivery micro F1 = 1.000
- text only:       nDCG@10 >= 0.85, delivery micro F1 >= 0.85   (BM25 baseline 0.159 / 0.207)
- decisions:       accuracy = 1, amount exact = 1, 0 wrongly approved, 0 left for review

    .venv/bin/python bench/policy_quality.py [--check] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "bench" / "policy_match"
OUT = ROOT / "bench" / "out"
AS_OF = "2026-06-30"

TARGETS = {
    "conditions": [
        ("ranking", "ndcg@10", ">=", 0.98),
        ("ranking", "elig_precision@10", ">=", 1.0),
        ("delivery", "micro_f1", ">=", 1.0),
    ],
    "text-only": [("ranking", "ndcg@10", ">=", 0.85), ("delivery", "micro_f1", ">=", 0.85)],
    "decisions": [
        ("decisions", "accuracy", ">=", 1.0),
        ("decisions", "amount_exact_rate", ">=", 1.0),
        ("decisions", "n_wrongly_approved", "<=", 0),
        ("decisions", "n_review", "<=", 0),
    ],
}


def flask(*args: str) -> None:
    """Run a portal command; stop on failure."""
    subprocess.run([sys.executable, "-m", "flask", "--app", "portal", *args], cwd=ROOT, check=True)


def evaluate(data: Path, **runs: Path) -> dict:
    """Score run files with the shared evaluator; return its JSON."""
    args = [
        sys.executable,
        str(SHARED / "evaluate.py"),
        "--qrels",
        str(data / "qrels.tsv"),
        "--policies",
        str(data / "policies.jsonl"),
        "--json",
        "-",
    ]
    for kind, path in runs.items():
        args += [f"--{kind}", str(path)]
    result = subprocess.run(args, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def main() -> int:
    """Run every track, print the figures, check the targets."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--data", type=Path, default=SHARED / "dev")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    inputs = [
        "--policies",
        str(args.data / "policies.jsonl"),
        "--enterprises",
        str(args.data / "enterprises.jsonl"),
        "--as-of",
        AS_OF,
    ]
    results = {}
    for track, extra in (("conditions", []), ("text-only", ["--text-only"])):
        ranking, delivery = OUT / f"ranking-{track}.tsv", OUT / f"delivery-{track}.tsv"
        flask("policies", "rank", *inputs, "--top", "20", "--out", str(ranking), *extra)
        flask("policies", "deliver-plan", *inputs, "--out", str(delivery), *extra)
        results[track] = evaluate(args.data, ranking=ranking, delivery=delivery)
    decisions = OUT / "decisions.tsv"
    flask("approvals", "decide-plan", *inputs, "--out", str(decisions))
    results["decisions"] = evaluate(args.data, decisions=decisions)

    missed = []
    for track, checks in TARGETS.items():
        print(f"== {track}")
        for section, metric, sign, target in checks:
            value = results[track][section][metric]
            ok = value >= target if sign == ">=" else value <= target
            print(
                f"  {section:9s} {metric:20s} {value:8.4f}  target {sign} {target}  {'ok' if ok else 'MISSED'}"
            )
            if not ok:
                missed.append(f"{track} {metric}")
    (OUT / "policy_quality.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    if missed:
        print("missed: " + ", ".join(missed))
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
