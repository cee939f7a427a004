"""What-if in the sandbox over a synthetic population in PostgreSQL: what one page of it costs.

  .venv/bin/python bench/whatif.py [--enterprises 200000] [--policies 10] [--points 10] [--skip-load]

Drops and creates its own database `bench_whatif`, COPYs `--enterprises` synthetic firms into it with
bench/audience_db.py's loader (bench/synth.py's generator), then in one process and one run, for `--policies`
drafts from synth.policies that have a numeric threshold:
- baseline: one plain `audience.sandbox()` call (what the sandbox page computed before the what-if);
- a sweep of the first threshold over `--points` values (`scenarios.sweep`), the near misses per condition
  (`scenarios.near_misses`), and a comparison with the next draft (`scenarios.compare`);
- each as a median and as a ratio to the baseline's median, measured in the same run; and the page as served
  (GET: sandbox + near misses; 测算: the same plus the sweep).
All of it goes through the audience service's public functions, so the figures move with its engine.
Results: bench/results/whatif.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import audience_db  # noqa: E402
import synth  # noqa: E402

from portal import conditions as cond  # noqa: E402

AS_OF = synth.AS_OF
DB = "bench_whatif"


def _median_ms(xs: list[float]) -> float:
    return round(statistics.median(xs) * 1000, 1)


def _timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main() -> int:
    """Load, measure, print and write bench/results/whatif.json."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--enterprises", type=int, default=200_000)
    ap.add_argument("--policies", type=int, default=10)
    ap.add_argument("--points", type=int, default=10)
    ap.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432")
    ap.add_argument("--skip-load", action="store_true", help="reuse the population already in bench_whatif")
    ap.add_argument("--seed", type=int, default=20260630)
    a = ap.parse_args()

    from sqlalchemy import func, select, text

    from portal import create_app
    from portal.extensions import db
    from portal.models import Enterprise
    from portal.policies import audience, scenarios, whatif
    from portal.policies.models import Policy, PolicyStatus

    audience_db.DB = DB  # the loader writes into the database named by its module constant
    sa_url = a.url.replace("postgresql://", "postgresql+psycopg://", 1) + f"/{DB}"
    if not a.skip_load:
        audience_db._recreate(a.url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": sa_url, "TESTING": True})
    out: dict = {"enterprises": a.enterprises, "points": a.points, "as_of": AS_OF.isoformat()}
    with app.app_context():
        if not a.skip_load:
            db.create_all()
            db.session.commit()
            out["copy_s"] = round(audience_db._copy(a.url, a.enterprises, a.seed), 1)
            print(f"COPY {a.enterprises} enterprises: {out['copy_s']} s")
        else:
            db.session.execute(text("DELETE FROM policy_revisions"))
            db.session.execute(text("DELETE FROM policies"))
            db.session.commit()
        out["enterprises"] = db.session.scalar(select(func.count(Enterprise.id)))
        rng = np.random.default_rng(a.seed + 1)
        drafts = []
        dev = ROOT.parent / "shared" / "bench" / "policy_match" / "dev"
        for k, p in enumerate(synth.policies(a.policies * 4, dev, rng)):
            conditions = cond.normalize(p["criteria"])
            if not whatif.thresholds(conditions):
                continue
            drafts.append(
                Policy(
                    status=PolicyStatus.DRAFT,
                    revision_no=0,
                    title=p["title"][:200],
                    text="",
                    search_terms="",
                    region="宝安区",
                    category=p.get("category") or "研发资助",
                    conditions=conditions,
                    targets={"industries": [], "qualifications": []},
                    support=p.get("support"),
                    instant=False,
                    code=f"W-{k}",
                )  # fmt: skip
            )
            if len(drafts) == a.policies + 1:
                break
        db.session.add_all(drafts)
        db.session.commit()
        audience.sandbox(
            drafts[0], on=AS_OF
        )  # first use builds whatever the engine caches: not a page's cost
        base, sweep, near, compare = [], [], [], []
        for policy, other in zip(drafts, drafts[1:], strict=False):
            base.append(_timed(lambda p=policy: audience.sandbox(p, on=AS_OF))[0])
            found = whatif.thresholds(policy.conditions)[0]
            start, stop = scenarios.defaults(found)
            sweep.append(
                _timed(lambda p=policy, f=found, s=start, e=stop: scenarios.sweep(p, f.key, s, e, a.points, on=AS_OF))[0]
            )  # fmt: skip
            near.append(_timed(lambda p=policy: scenarios.near_misses(p, on=AS_OF))[0])
            compare.append(_timed(lambda p=policy, o=other: scenarios.compare(p, o, on=AS_OF))[0])
        baseline = statistics.median(base)
        out["sandbox_ms"] = _median_ms(base)
        for name, xs in (("sweep", sweep), ("near_misses", near), ("compare", compare)):
            out[f"{name}_ms"] = _median_ms(xs)
            out[f"{name}_ratio"] = round(statistics.median(xs) / baseline, 1)
        # The page as served: GET = sandbox + near misses; 测算 (POST) = the same plus the sweep.
        for name, parts in (("get_page", (base, near)), ("sweep_page", (base, near, sweep))):
            totals = [sum(xs) for xs in zip(*parts, strict=True)]
            out[f"{name}_ms"] = _median_ms(totals)
            out[f"{name}_ratio"] = round(statistics.median(totals) / baseline, 1)
        out["drafts"] = len(base)
    print(json.dumps(out, ensure_ascii=False, indent=2))
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "whatif.json").write_text(
        json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
