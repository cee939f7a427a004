"""Who qualifies, at 1,000,000 enterprises in PostgreSQL: today's per-worker cache against the SQL audience service.

  .venv/bin/python bench/audience_sql.py [--enterprises 1000000] [--drafts 50] [--skip-load] [--workers 4]

Fills (or, with --skip-load, reuses) the database `scale_aud` with bench/synth.py's population through
bench/audience_db.py's COPY loader, then in one run:
- first use: the cache's cold build (fingerprint + stream + columnar table) vs the SQL service's first call;
- sandbox p50/p99 over `--drafts` draft policies (synth.policies): the cache (bench/audience_cache.py, the
  portal's code before the change) vs SQL (`portal.policies.audience.sandbox`), and that both give the same report;
- memory: `--workers` fresh processes, each serving one sandbox request the cache way, then the SQL way;
  the sum of their peak RSS.
Results: bench/results/audience_sql.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import audience_cache  # noqa: E402
import audience_db  # noqa: E402
import synth  # noqa: E402

from portal import conditions as cond  # noqa: E402

AS_OF = synth.AS_OF
DB = "scale_aud"
DEV = ROOT.parent / "shared" / "bench" / "policy_match" / "dev"
RESULTS = ROOT / "bench" / "results" / "audience_sql.json"


def _ms(xs: list[float]) -> dict:
    xs = sorted(xs)
    return {
        "p50_ms": round(statistics.median(xs) * 1000, 1),
        "p99_ms": round(xs[min(len(xs) - 1, int(0.99 * len(xs)))] * 1000, 1),
    }


def _app(url: str):
    from portal import create_app

    sa_url = url.replace("postgresql://", "postgresql+psycopg://", 1) + f"/{DB}"
    return create_app({"SQLALCHEMY_DATABASE_URI": sa_url, "TESTING": True})


def load(url: str, n: int, seed: int) -> float:
    """Drop and refill scale_aud with n synthetic enterprises (COPY); return seconds."""
    from portal.extensions import db

    audience_db.DB = DB  # the loader writes into the database named by its module global
    audience_db._recreate(url)
    app = _app(url)
    with app.app_context():
        db.create_all()
        db.session.commit()
        db.engine.dispose()
    seconds = audience_db._copy(url, n, seed)
    _index(url)
    return seconds


def _index(url: str) -> None:
    """The indexes migration 0020 adds (create_all made the table's own; this keeps a reused database current)."""
    import psycopg

    with psycopg.connect(f"{url}/{DB}", autocommit=True) as conn:
        conn.execute(
            "CREATE INDEX IF NOT EXISTS ix_enterprises_qualifications_gin ON enterprises"
            " USING gin ((CAST(qualifications AS JSONB)))"
        )
        conn.execute("ANALYZE enterprises")


def _parks() -> None:
    """Three virtual parks as the demo has them (by industry, by qualification), so the sandbox counts by park."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import VirtualPark

    if db.session.scalar(select(VirtualPark.id).limit(1)) is None:
        for name, prefixes, quals in (
            ("电子信息虚拟园区", ["C39"], []),
            ("软件与信息服务虚拟园区", ["I65"], []),
            ("专精特新虚拟园区", [], ["专精特新中小企业", '专精特新"小巨人"企业']),
        ):
            db.session.add(VirtualPark(name=name, industry_prefixes=prefixes, qualifications=quals))
        db.session.commit()


def drafts(k: int, seed: int) -> list[dict]:
    """k draft policies from synth.policies, normalised as the editor stores them."""
    rng = np.random.default_rng(seed + 1)
    return [
        {"conditions": cond.normalize(p["criteria"]), "support": p.get("support"), "category": "研发资助"}
        for p in synth.policies(k, DEV, rng)
    ]


def _policy(d: dict, k: int):
    from portal.policies.models import Policy, PolicyStatus

    return Policy(
        status=PolicyStatus.DRAFT, revision_no=1, title=f"草案{k}", text="", search_terms="", region="宝安区",
        category=d["category"], conditions=d["conditions"], targets={"industries": [], "qualifications": []},
        support=d["support"], instant=False, deadline=None, code=f"AUD-{k}",
    )  # fmt: skip


def worker(url: str, way: str, seed: int) -> None:
    """One web worker's life: a fresh process serves one sandbox request; print its peak RSS (MB) as JSON."""
    from portal.policies import audience

    app = _app(url)
    with app.app_context():
        policy = _policy(drafts(1, seed)[0], 0)
        t = time.perf_counter()
        (audience_cache.sandbox_cached if way == "cache" else audience.sandbox)(policy, on=AS_OF)
        seconds = time.perf_counter() - t
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child would report its parent's peak
    status = Path("/proc/self/status").read_text()
    rss = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024
    print(json.dumps({"rss_mb": round(rss), "seconds": round(seconds, 2)}))


def main() -> int:
    """Load or reuse, measure both ways in one run, print and write bench/results/audience_sql.json."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--enterprises", type=int, default=1_000_000)
    ap.add_argument("--drafts", type=int, default=50)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432")
    ap.add_argument("--skip-load", action="store_true", help="reuse the population already in scale_aud")
    ap.add_argument("--load-only", action="store_true")
    ap.add_argument(
        "--workers-only", action="store_true", help="only the memory of --workers fresh processes"
    )
    ap.add_argument("--seed", type=int, default=20260630)
    ap.add_argument("--worker", choices=("cache", "sql"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        worker(a.url, a.worker, a.seed)
        return 0
    out: dict = {"as_of": AS_OF.isoformat()}
    if not a.skip_load:
        out["copy_s"] = round(load(a.url, a.enterprises, a.seed), 1)
        print(f"COPY {a.enterprises} enterprises: {out['copy_s']} s", flush=True)
    else:
        _index(a.url)
    if a.load_only:
        return 0
    from sqlalchemy import func, select

    from portal.extensions import db
    from portal.models import Enterprise
    from portal.policies import audience

    if a.workers_only:
        return _workers(a, json.loads(RESULTS.read_text()) if RESULTS.exists() else out)
    app = _app(a.url)
    with app.app_context():
        _parks()
        out["enterprises"] = db.session.scalar(select(func.count(Enterprise.id)))
        policies = [_policy(d, k) for k, d in enumerate(drafts(a.drafts, a.seed))]
        # first use in a fresh process state: the cache builds its table, the SQL service plans its first query
        audience_cache.reset_population()
        t = time.perf_counter()
        audience_cache.sandbox_cached(policies[0], on=AS_OF)
        out["first_use_cache_s"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        audience.sandbox(policies[0], on=AS_OF)
        out["first_use_sql_s"] = round(time.perf_counter() - t, 2)
        print(f"first use: cache {out['first_use_cache_s']} s, SQL {out['first_use_sql_s']} s", flush=True)
        cache_t, sql_t, same, reach = [], [], 0, []
        for policy in policies:
            t = time.perf_counter()
            old = audience_cache.sandbox_cached(policy, on=AS_OF)
            cache_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            new = audience.sandbox(policy, on=AS_OF)
            sql_t.append(time.perf_counter() - t)
            reach.append(new.total)
            fields = (
                "total",
                "scanned",
                "muted",
                "cost_wan",
                "uncomputed",
                "by_street",
                "by_size",
                "by_park",
            )
            same += all(getattr(old, f) == getattr(new, f) for f in fields)
        out["sandbox_cache"] = _ms(cache_t)
        out["sandbox_sql"] = _ms(sql_t)
        out["same_report"] = f"{same}/{len(policies)}"
        out["median_reach"] = int(statistics.median(reach))
        out["ratio_p50_cache_over_sql"] = round(
            out["sandbox_cache"]["p50_ms"] / out["sandbox_sql"]["p50_ms"], 2
        )
        print(
            f"sandbox cache {out['sandbox_cache']}, SQL {out['sandbox_sql']}, same {out['same_report']}",
            flush=True,
        )
        audience_cache.reset_population()
        db.engine.dispose()
    return _workers(a, out)


def _workers(a: argparse.Namespace, out: dict) -> int:
    """Peak memory of a.workers fresh worker processes per way; write the results."""
    for way in ("cache", "sql"):
        procs = [
            subprocess.Popen(
                [sys.executable, __file__, "--worker", way, "--url", a.url, "--seed", str(a.seed)],
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(a.workers)
        ]
        rows = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
        out[f"workers_{way}"] = {
            "workers": a.workers,
            "total_rss_mb": sum(r["rss_mb"] for r in rows),
            "per_worker_rss_mb": [r["rss_mb"] for r in rows],
            "first_request_s": [r["seconds"] for r in rows],
        }
        print(f"{a.workers} workers ({way}): {out[f'workers_{way}']}", flush=True)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
