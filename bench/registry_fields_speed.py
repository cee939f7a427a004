"""recommend with the registry's newer fields (places, growth, first crossing, 本类 records) in the mix.

  .venv/bin/python bench/synth.py --enterprises 20000 --policies 10000 --mix 0.25 --out bench/out/synth20k
  .venv/bin/python bench/registry_fields_speed.py --data bench/out/synth20k [--share 0.2] [--queries 300]

The baseline is the same synthetic catalogue without the new rows, measured in the same run on the same firms,
queries interleaved (the box is shared: medians and the ratio are what to read). A share of the policies gets one
extra row on tax_district / operating_district / revenue_growth / revenue_wan_prev / approved_groups ("@own"
within 3 years); the firms get tax and operating districts, a previous year and, 5 % of them, an approval.
Exactness: recommend's eligible set equals conditions.eligible on the bound conditions for --check firms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synth import AS_OF  # noqa: E402

from portal.conditions import bind_own, eligible  # noqa: E402
from portal.jsonl import read_jsonl  # noqa: E402
from portal.policies import recommender as rec  # noqa: E402

GROUPS = ("研发费用补贴", "新升规奖励", "人才奖励")


def load(path: Path, rng: np.random.Generator) -> tuple[rec.EnterpriseTable, list]:
    """The synthetic firms (as synth.load_enterprises) plus the new columns."""
    z = np.load(path)
    n = len(z["uscc"])
    items, sentences = z["item_vocab"].tolist(), z["sentence_vocab"].tolist()
    docs, parts = [], []
    for scope, desc, code in zip(
        z["scope"].tolist(), z["description"].tolist(), z["industry_code"].tolist(), strict=True
    ):
        text = "一般经营项目是：" + "；".join(items[i] for i in scope if i >= 0) + "；许可经营项目是：无。"
        about = "".join(sentences[i] for i in desc if i >= 0)
        parts.append((text, about))
        docs.append(
            rec.enterprise_text({"business_scope": text, "description": about, "industry_code": code})
        )
    districts = z["registered_district"]
    columns = {name: z[name] for name in ("registered_district", "street", "industry_code", "founded")}
    columns |= {name: z[name] for name in ("employees", "qualifications", "credit_ok")}
    for name in ("revenue", "assets", "rd_expense", "tax_paid"):
        columns[f"{name}_wan"] = (z[f"{name}_tenths"], 10)
    moved = rng.random(n) < 0.15  # some firms pay tax or operate elsewhere
    columns["tax_district"] = np.where(moved, "南山区", districts)
    columns["operating_district"] = np.where(rng.random(n) < 0.1, "龙华区", districts)
    growth = rng.uniform(0.6, 1.5, n)
    columns["revenue_wan_prev"] = ((z["revenue_tenths"] / growth).astype(np.int64), 10)
    columns["tax_paid_wan_prev"] = ((z["tax_paid_tenths"] / rng.uniform(0.7, 1.4, n)).astype(np.int64), 10)
    approvals = []
    for _ in range(n):
        if rng.random() < 0.05:
            days = int(rng.integers(10, 365 * 5))
            approvals.append({GROUPS[int(rng.integers(len(GROUPS)))]: [AS_OF - timedelta(days=days)]})
        else:
            approvals.append({})
    columns["approved_groups"] = approvals
    table = rec.EnterpriseTable.from_columns(z["uscc"].tolist(), columns, AS_OF, docs)
    return table, parts


def with_new_rows(policies: list[dict], share: float, r: random.Random) -> list[dict]:
    """A copy of the catalogue in which `share` of the policies get one row on a new field."""
    out = []
    for p in policies:
        p = dict(p)
        if r.random() < share:
            row = r.choice(
                [
                    {"field": "tax_district", "op": "eq", "value": "宝安区"},
                    {"field": "operating_district", "op": "in", "value": ["宝安区", "南山区"]},
                    {"field": "revenue_growth", "op": "gte", "value": r.choice([0.1, 0.2])},
                    {"field": "revenue_wan_prev", "op": "lt", "value": r.choice([2000, 10000])},
                    {
                        "field": "approved_groups",
                        "op": "not_contains_any",
                        "value": ["@own"],
                        "within_years": 3,
                    },
                ]
            )
            p["group"] = r.choice(GROUPS)
            criteria = p.get("criteria") or {"all": []}
            p["criteria"] = {"all": [criteria, row]}
        out.append(p)
    return out


def main() -> int:
    """Measure recommend p50/p90 with and without the new rows; check exactness."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT / "bench" / "out" / "synth20k")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--share", type=float, default=0.2)
    ap.add_argument("--check", type=int, default=20)
    a = ap.parse_args()
    r = random.Random(11)
    table, parts = load(a.data / "enterprises.npz", np.random.default_rng(5))
    policies = [p for _, p in read_jsonl(a.data / "policies.jsonl")]
    variant = with_new_rows(policies, a.share, r)
    t = time.perf_counter()
    base_index = rec.PolicyIndex(policies)
    t1 = time.perf_counter()
    new_index = rec.PolicyIndex(variant, tokenizer=base_index.tokenizer)
    t2 = time.perf_counter()
    print(f"index {len(policies):,} policies: baseline {t1 - t:.1f} s, with new rows {t2 - t1:.1f} s")

    def profile(i: int) -> dict:
        p = table.row(i)
        p["business_scope"], p["description"] = parts[i]
        return p

    firms = [r.randrange(len(table)) for _ in range(a.queries)]
    for i in firms[:20]:  # warm both (jieba, caches)
        rec.recommend(base_index, profile(i))
        rec.recommend(new_index, profile(i))
    times: dict[str, list[float]] = {"baseline": [], "new rows": []}
    for i in firms:
        prof = profile(i)
        for name, index in (("baseline", base_index), ("new rows", new_index)):
            t = time.perf_counter()
            rec.recommend(index, prof, top=20)
            times[name].append(time.perf_counter() - t)
    for name, xs in times.items():
        xs.sort()
        print(
            f"recommend ({name}): p50 {statistics.median(xs) * 1000:.2f} ms  p90 {xs[int(0.9 * len(xs))] * 1000:.2f} ms"
        )
    ratio = statistics.median(times["new rows"]) / statistics.median(times["baseline"])
    print(f"ratio of medians (new rows / baseline): {ratio:.2f}")
    mismatches = 0
    for i in firms[: a.check]:
        prof = profile(i)
        got = {item.policy_id for item in rec.recommend(new_index, prof, top=100_000).ranked}
        want = {str(p["id"]) for p in variant if eligible(bind_own(p["criteria"], p.get("group")), prof)}
        mismatches += got != want
    print(
        f"exactness: recommend = conditions.eligible on {a.check} firms × {len(variant):,} policies: "
        f"{'ok' if not mismatches else f'{mismatches} firms differ'}"
    )
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
