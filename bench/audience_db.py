"""Audience of a newly published policy over 1,000,000 enterprises in PostgreSQL: sandbox and push.

  .venv/bin/python bench/audience_db.py [--enterprises 1000000] [--policies 20] [--baseline 50000]

Drops and creates its own database `bench_audience` (tables by `db.create_all()`), generates the population
with bench/synth.py's generator (as_of 2026-06-30; 1 % of each input NULL, 5 % muting 研发资助) and COPYs it in.
Then, in one process and one run:
- the fingerprint query alone and the cold build of the cached enterprise table (first use);
- p50/p99 of `audience.sandbox()` and of the audience step of `delivery.deliver()` (audience, candidates,
  muted, amounts: everything before the inserts) for `--policies` draft policies from synth.policies;
- the insert of notifications, measured separately with the real `deliver()` on a few policies;
- the old row-by-row scan (the previous services._scan: Core rows → conditions.derive → matcher) on the first
  `--baseline` enterprises, for the same policies, extrapolated linearly to the population → ratio.
Results: bench/results/audience_db.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import audience_cache  # noqa: E402  (the cached table this bench measured; the portal now asks SQL)
import synth  # noqa: E402

from portal import conditions as cond  # noqa: E402
from portal import reference  # noqa: E402

AS_OF = synth.AS_OF
DB = "bench_audience"


def _ms(xs: list[float]) -> dict:
    xs = sorted(xs)
    return {
        "p50_ms": round(statistics.median(xs) * 1000, 1),
        "p99_ms": round(xs[min(len(xs) - 1, int(0.99 * len(xs)))] * 1000, 1),
    }


def _recreate(base_url: str) -> None:
    import psycopg

    with psycopg.connect(base_url + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')


def _copy(base_url: str, n: int, seed: int) -> float:
    """Generate n enterprises (synth.py) and COPY them into enterprises; return seconds."""
    import psycopg

    rng = np.random.default_rng(seed)
    cols = synth.enterprises(
        n, synth._vocabularies(ROOT.parent / "shared" / "bench" / "policy_match" / "dev"), rng
    )
    started = time.perf_counter()
    quals: dict[int, str] = {}

    def qual_json(mask: int) -> str:
        hit = quals.get(mask)
        if hit is None:
            hit = quals[mask] = json.dumps(
                [q for i, q in enumerate(reference.QUALIFICATIONS) if mask >> i & 1], ensure_ascii=False
            )
        return hit

    def money(tenths: np.ndarray) -> list[str]:
        return [f"{t // 10}.{t % 10}0" for t in tenths.tolist()]

    null = {
        name: rng.random(n) < 0.01 for name in ("street", "founded", "employees", "revenue", "rd", "quals")
    }
    muted = np.where(rng.random(n) < 0.05, '["研发资助"]', "[]")
    stamp = datetime(2026, 6, 1, tzinfo=UTC)
    columns = [
        cols["uscc"].tolist(),
        cols["registered_district"].tolist(),
        [None if x else s for s, x in zip(cols["street"].tolist(), null["street"], strict=True)],
        cols["industry_code"].tolist(),
        [
            None if x else d
            for d, x in zip(cols["founded"].astype(object).tolist(), null["founded"], strict=True)
        ],
        [None if x else e for e, x in zip(cols["employees"].tolist(), null["employees"], strict=True)],
        [None if x else m for m, x in zip(money(cols["revenue_tenths"]), null["revenue"], strict=True)],
        money(cols["assets_tenths"]),
        [None if x else m for m, x in zip(money(cols["rd_expense_tenths"]), null["rd"], strict=True)],
        money(cols["tax_paid_tenths"]),
        [
            "null" if x else qual_json(q)
            for q, x in zip(cols["qualifications"].tolist(), null["quals"], strict=True)
        ],
        cols["credit_ok"].tolist(),
        muted.tolist(),
    ]
    names = (
        "uscc, registered_district, street, industry_code, founded, employees, revenue_wan, assets_wan, "
        "rd_expense_wan, tax_paid_wan, qualifications, credit_ok, muted_categories"
    )
    with psycopg.connect(f"{base_url}/{DB}") as conn:
        with conn.cursor() as cur:
            sql = (
                f"COPY enterprises ({names}, name, business_scope, description, verified, created_at, updated_at)"
                " FROM STDIN"
            )
            with cur.copy(sql) as copy:
                for k, row in enumerate(zip(*columns, strict=True)):
                    copy.write_row((*row, f"合成企业{k}", "", "", "{}", stamp, stamp))
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE enterprises")
    return time.perf_counter() - started


def _old_scan(conditions: dict, on: date, limit: int, chunk: int = 2000) -> tuple[int, float]:
    """The previous services._scan (keyset pages of Core rows, derive + matcher per row) over ids ≤ limit."""
    from sqlalchemy import or_, select

    from portal.extensions import db
    from portal.models import Enterprise

    columns = {
        "registered_district": Enterprise.registered_district,
        "street": Enterprise.street,
        "industry_code": Enterprise.industry_code,
    }
    narrow = []
    for row in conditions.get("all", []):
        column, op, value = columns.get(row["field"]), row["op"], row["value"]
        if row["field"] == "credit_ok" and op == "eq":
            narrow.append(Enterprise.credit_ok.is_(bool(value)))
        elif column is None:
            continue
        elif op == "eq":
            narrow.append(column == value)
        elif op == "in":
            narrow.append(column.in_(list(value)))
        elif op == "prefix_in":
            narrow.append(or_(*(column.startswith(p, autoescape=True) for p in value)))
    started = time.perf_counter()
    match = cond.matcher(conditions)
    last, hits = 0, 0
    while True:
        rows = db.session.execute(
            select(
                Enterprise.id,
                Enterprise.registered_district,
                Enterprise.street,
                Enterprise.industry_code,
                Enterprise.founded,
                Enterprise.employees,
                Enterprise.revenue_wan,
                Enterprise.assets_wan,
                Enterprise.rd_expense_wan,
                Enterprise.tax_paid_wan,
                Enterprise.qualifications,
                Enterprise.credit_ok,
                Enterprise.muted_categories,
            )  # fmt: skip
            .where(Enterprise.id > last, Enterprise.id <= limit, *narrow)
            .order_by(Enterprise.id)
            .limit(chunk)
        ).all()
        if not rows:
            break
        last = rows[-1].id
        hits += sum(match(cond.derive(r._asdict(), on)) == cond.PASS for r in rows)
    return hits, time.perf_counter() - started


def main() -> int:
    """Load, measure, print and write bench/results/audience_db.json."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--enterprises", type=int, default=1_000_000)
    ap.add_argument("--policies", type=int, default=20)
    ap.add_argument("--baseline", type=int, default=50_000, help="enterprises the old scan reads")
    ap.add_argument("--baseline-policies", type=int, default=5)
    ap.add_argument("--push-policies", type=int, default=3)
    ap.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432")
    ap.add_argument("--skip-load", action="store_true", help="reuse the population already in bench_audience")
    ap.add_argument("--seed", type=int, default=20260630)
    a = ap.parse_args()

    from sqlalchemy import func, select, text

    from portal import create_app
    from portal.extensions import db
    from portal.models import Enterprise, Notification
    from portal.policies import delivery
    from portal.policies.models import Policy, PolicyStatus

    sa_url = a.url.replace("postgresql://", "postgresql+psycopg://", 1) + f"/{DB}"
    if not a.skip_load:
        _recreate(a.url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": sa_url, "TESTING": True})
    out: dict = {"enterprises": a.enterprises, "as_of": AS_OF.isoformat()}
    with app.app_context():
        if not a.skip_load:
            db.create_all()
            db.session.commit()
            out["copy_s"] = round(_copy(a.url, a.enterprises, a.seed), 1)
            print(f"COPY {a.enterprises} enterprises: {out['copy_s']} s")
        else:  # reuse the population; drop the previous run's policies and pushes
            for table in ("notifications", "delivery_jobs", "policy_revisions", "policies"):
                db.session.execute(text(f"DELETE FROM {table}"))
            db.session.commit()
        n = db.session.scalar(select(func.count(Enterprise.id)))
        # fingerprint query alone (every sandbox / deliver pays it), then the cold build
        times = []
        for _ in range(5):
            t = time.perf_counter()
            db.session.execute(
                select(func.count(Enterprise.id), func.max(Enterprise.updated_at), func.max(Enterprise.id))
            ).one()
            times.append(time.perf_counter() - t)
        out["fingerprint"] = _ms(times)
        audience_cache.reset_population()
        t = time.perf_counter()
        pop = audience_cache._population(AS_OF)
        out["cold_build_s"] = round(time.perf_counter() - t, 2)
        print(
            f"fingerprint query {out['fingerprint']}; cold table build over {n} firms: {out['cold_build_s']} s"
        )
        t = time.perf_counter()
        audience_cache._population(date(2026, 7, 1))  # the next day: years re-derived only
        out["next_day_s"] = round(time.perf_counter() - t, 2)
        audience_cache._population(AS_OF)

        rng = np.random.default_rng(a.seed + 1)
        drafts = []
        for k, p in enumerate(
            synth.policies(a.policies, ROOT.parent / "shared" / "bench" / "policy_match" / "dev", rng)
        ):
            policy = Policy(
                status=PolicyStatus.PUBLISHED, revision_no=1, title=p["title"][:200], text="",
                search_terms="", region="宝安区", category=p.get("category") or "研发资助",
                conditions=cond.normalize(p["criteria"]), targets={"industries": [], "qualifications": []},
                support=p.get("support"), instant=False, deadline=None, code=f"B-{k}",
            )  # fmt: skip
            db.session.add(policy)
            drafts.append(policy)
        db.session.commit()

        sandbox_t, audience_t, reach = [], [], []
        for policy in drafts:
            t = time.perf_counter()
            report = audience_cache.sandbox_cached(policy, on=AS_OF)
            sandbox_t.append(time.perf_counter() - t)
            reach.append(report.total)
            t = time.perf_counter()
            pop = audience_cache._population(AS_OF)
            hits = audience_cache._audience_rows(pop, policy, policy.conditions)
            audience_cache._candidate_rows(pop, policy, policy.conditions)
            audience_cache._muted_rows(pop, policy.category, hits)
            audience_cache._support_cents(policy.support, pop.table, hits)
            audience_t.append(time.perf_counter() - t)
        out["sandbox"] = _ms(sandbox_t) | {"median_reach": int(statistics.median(reach))}
        out["deliver_audience"] = _ms(audience_t)
        print(f"sandbox {out['sandbox']}; deliver audience step {out['deliver_audience']}")

        pushed, push_t = 0, 0.0
        for policy in sorted(drafts, key=lambda p: -reach[drafts.index(p)])[len(drafts) // 4 :][
            : a.push_policies
        ]:
            t = time.perf_counter()
            job = delivery.deliver(policy, on=AS_OF, after_chunk=lambda *_: db.session.commit())
            db.session.commit()
            push_t += time.perf_counter() - t
            pushed += job.pushed
        out["push"] = {
            "policies": a.push_policies,
            "notifications": pushed,
            "seconds": round(push_t, 1),
            "per_1000_notifications_ms": round(push_t / max(pushed, 1) * 1e6, 1),
        }
        print(f"deliver (with inserts): {out['push']}")
        db.session.execute(Notification.__table__.delete())
        db.session.commit()

        limit = db.session.scalars(
            select(Enterprise.id).order_by(Enterprise.id).offset(a.baseline - 1).limit(1)
        ).one()
        old, agree = [], True
        for policy in drafts[: a.baseline_policies]:
            hits, seconds = _old_scan(policy.conditions, AS_OF, limit)
            old.append(seconds)
            pop = audience_cache._population(AS_OF)
            new_hits = audience_cache._audience_rows(pop, policy, policy.conditions)
            agree &= hits == int(np.count_nonzero(pop.ids[new_hits] <= limit))
        per_firm = statistics.median(old) / a.baseline
        out["old_scan"] = {
            "enterprises": a.baseline,
            "p50_s": round(statistics.median(old), 2),
            "extrapolated_full_s": round(per_firm * n, 1),
            "same_audience": agree,
        }
        out["ratio_sandbox"] = round(per_firm * n / (out["sandbox"]["p50_ms"] / 1000))
        out["ratio_deliver_audience"] = round(per_firm * n / (out["deliver_audience"]["p50_ms"] / 1000))
        print(f"old scan {out['old_scan']}; ratio sandbox ×{out['ratio_sandbox']}, "
              f"deliver audience ×{out['ratio_deliver_audience']}")  # fmt: skip
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "audience_db.json").write_text(
        json.dumps(out, indent=1, ensure_ascii=False)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
