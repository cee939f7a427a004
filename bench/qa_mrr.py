"""政策问答 retrieval quality: MRR@5 of portal.policies.retrieval beside a plain BM25 baseline, same run.

    .venv/bin/python bench/qa_mrr.py [--questions bench/qa/questions.jsonl] [--check 0.8]

Passages come from the demo policies (portal/policies/data/demo_policies.jsonl), cut by section; a question's
answer is one (policy, section) passage. No database, no app.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from portal.policies import retrieval  # noqa: E402


def _tokenize(text: str) -> list[str]:
    from portal.policies.catalog import _jieba

    return [t for t in _jieba().lcut_for_search(text, HMM=False)]


def main() -> int:
    """Print MRR@5 and hit@1 for both rankers; exit 1 under --check when the improved one falls below it."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", default=str(ROOT / "bench" / "qa" / "questions.jsonl"))
    parser.add_argument(
        "--policies", default=str(ROOT / "portal" / "policies" / "data" / "demo_policies.jsonl")
    )
    parser.add_argument("--check", type=float, default=None, help="fail when MRR@5 is below this")
    parser.add_argument("--misses", action="store_true", help="print the questions ranked below 1")
    args = parser.parse_args()
    passages = []
    for line in Path(args.policies).read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            passages += retrieval.split_passages(row["id"], row["title"], row.get("text", ""))
    questions = [
        json.loads(line) for line in Path(args.questions).read_text(encoding="utf-8").splitlines() if line
    ]
    started = time.perf_counter()
    index = retrieval.Index(passages, _tokenize)
    built = time.perf_counter() - started
    results = {}
    for name, rank in (
        ("retrieval (BM25 + policy context + intent)", index.search),
        ("plain BM25", index.bm25_baseline),
    ):
        rr, hit1, misses = [], 0, []
        started = time.perf_counter()
        for q in questions:
            score = retrieval.reciprocal_rank(rank(q["question"], 5), q["policy"], q["section"])
            rr.append(score)
            hit1 += score == 1.0
            if score < 1.0:
                misses.append((score, q))
        elapsed = time.perf_counter() - started
        results[name] = sum(rr) / len(rr)
        print(
            f"{name}: MRR@5 {results[name]:.3f}  hit@1 {hit1}/{len(questions)}  "
            f"({elapsed / len(questions) * 1000:.1f} ms/question)"
        )
        if args.misses:
            for score, q in misses:
                print(f"    {score:.2f} {q['question']} → {q['policy']} {q['section']}")
    print(f"{len(questions)} questions, {len(passages)} passages, index built in {built * 1000:.0f} ms")
    mrr = next(iter(results.values()))
    if args.check is not None and mrr < args.check:
        print(f"FAIL: MRR@5 {mrr:.3f} < {args.check}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
