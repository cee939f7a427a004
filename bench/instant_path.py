"""秒批 in process on PostgreSQL: today's ORM path (insert once, state machine's move()) against a baseline revision.

    .venv/bin/python bench/instant_path.py [--rounds 7] [--per-round 150] [--baseline-rev 7bc67da]

Drops and creates its own database `bench_instant` (tables by `db.create_all()`), seeds instant policies (fixed
1 万元) and verified enterprises, then in one process alternates rounds: each round applies `--per-round`
(enterprise, policy) pairs never applied before through `apply_instant` of today's portal/approvals/services.py and
the same number through the baseline's (the file at `--baseline-rev`, loaded from git as a separate module: the
lean path with a hand-written INSERT … ON CONFLICT text, a Core insert of the records and
make_transient_to_detached). Each application is one transaction (apply + commit), as in the view. Reports the
median over rounds of CPU (`time.process_time`) and wall time per application, the ratio ORM ÷ baseline, and
checks that no policy is overspent and every pair has exactly one application.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def recreate_database(server: str, name: str) -> str:
    """Drop and create the benchmark database; return its SQLAlchemy URL."""
    with psycopg.connect(
        f"{server.replace('postgresql+psycopg', 'postgresql')}/postgres", autocommit=True
    ) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def load_baseline(rev: str):
    """portal/approvals/services.py at `rev`, as a module of its own (it shares today's models and kernel)."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:portal/approvals/services.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    spec = importlib.util.spec_from_loader("baseline_approvals_services", loader=None)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    exec(compile(source, f"{rev}:portal/approvals/services.py", "exec"), module.__dict__)
    return module


def seed(policies: int, enterprises: int) -> None:
    """Instant policies with ample budgets and verified enterprises that qualify."""
    from portal import reference
    from portal.extensions import db
    from portal.models import Enterprise
    from portal.policies.models import Policy, PolicyRevision, PolicyStatus

    verified = {"source": "压测数据", "date": "2026-06-01"}
    for index in range(policies):
        policy = Policy(
            code=f"I-{index:04d}",
            status=PolicyStatus.PUBLISHED,
            title=f"压测秒批事项{index}",
            category="资金奖励",
            published_on=date(2026, 1, 1),
            conditions={
                "all": [
                    {"field": "registered_district", "op": "eq", "value": "宝安区"},
                    {"field": "rd_ratio", "op": "gte", "value": 0.03},
                    {"field": "credit_ok", "op": "eq", "value": True},
                ]
            },
            support={"kind": "fixed", "amount_wan": 1},
            instant=True,
            budget_wan=Decimal(100000),
            budget_spent_wan=Decimal(0),
            revision_no=1,
        )
        db.session.add(policy)
        db.session.flush()
        db.session.add(PolicyRevision(policy_id=policy.id, number=1, content=policy.content()))
    for index in range(enterprises):
        db.session.add(
            Enterprise(
                uscc=reference.make_uscc("440306", 700000 + index),
                name=f"压测企业{index}",
                registered_district="宝安区",
                industry_code="C3982",
                founded=date(2018, 5, 12),
                employees=120,
                revenue_wan=Decimal("5230.00"),
                rd_expense_wan=Decimal("310.00"),
                qualifications=[],
                credit_ok=True,
                verified=dict.fromkeys(
                    ("registered_district", "rd_expense_wan", "revenue_wan", "credit_ok"), verified
                ),
            )
        )
    db.session.commit()


def run_round(apply_instant, pairs: list[tuple[int, int]]) -> tuple[float, float]:
    """Apply every pair, one transaction each as the view does; CPU and wall seconds per application."""
    from portal.extensions import db
    from portal.models import Enterprise
    from portal.policies.models import Policy

    cpu = wall = 0.0
    for enterprise_id, policy_id in pairs:
        db.session.remove()
        c0, w0 = time.process_time(), time.perf_counter()
        enterprise = db.session.get(Enterprise, enterprise_id)
        policy = db.session.get(Policy, policy_id)
        _, created = apply_instant(enterprise, policy, actor=None, on=date(2026, 6, 30))
        db.session.commit()
        cpu += time.process_time() - c0
        wall += time.perf_counter() - w0
        assert created
    return cpu / len(pairs), wall / len(pairs)


def main() -> int:
    """Seed, alternate rounds of both paths, check, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--per-round", type=int, default=150)
    parser.add_argument("--baseline-rev", default="7bc67da", help="git revision of the lean path")
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="bench_instant")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "instant_path.json")
    a = parser.parse_args()

    from sqlalchemy import func, select

    from portal import create_app
    from portal.approvals import services
    from portal.approvals.models import Application
    from portal.extensions import db
    from portal.policies.models import Policy

    baseline = load_baseline(a.baseline_rev)
    url = recreate_database(a.server, a.database)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "POST_AUDIT_SHARE": 0.05})
    enterprises = 2 * a.per_round
    policies = a.rounds + 1  # one policy per round; every enterprise applies to it once per path
    with app.app_context():
        db.create_all()
        seed(policies, enterprises)
        ids = db.session.scalars(select(db.metadata.tables["enterprises"].c.id).order_by("id")).all()
        policy_ids = db.session.scalars(select(Policy.id).order_by(Policy.id)).all()
        # Warm both paths (imports, statement caches) on the spare policy.
        run_round(services.apply_instant, [(ids[0], policy_ids[-1])])
        run_round(baseline.apply_instant, [(ids[1], policy_ids[-1])])
        results: dict[str, list[tuple[float, float]]] = {"orm": [], "baseline": []}
        for r in range(a.rounds):
            halves = {"orm": ids[: a.per_round], "baseline": ids[a.per_round : enterprises]}
            order = ("orm", "baseline") if r % 2 == 0 else ("baseline", "orm")
            for name in order:
                apply = services.apply_instant if name == "orm" else baseline.apply_instant
                results[name].append(run_round(apply, [(e, policy_ids[r]) for e in halves[name]]))
        db.session.remove()
        overspent = db.session.scalar(
            select(func.count()).select_from(Policy).where(Policy.budget_spent_wan > Policy.budget_wan)
        )
        spent = db.session.scalar(select(func.sum(Policy.budget_spent_wan)))
        approved = db.session.scalar(
            select(func.sum(Application.amount_wan)).where(Application.status == "approved")
        )
        duplicates = db.session.scalar(
            select(func.count()).select_from(
                select(Application.enterprise_id, Application.policy_id)
                .group_by(Application.enterprise_id, Application.policy_id)
                .having(func.count() > 1)
                .subquery()
            )
        )
        total = db.session.scalar(select(func.count(Application.id)))
        db.engine.dispose()

    def med(name: str, k: int) -> float:
        return round(statistics.median(x[k] for x in results[name]) * 1000, 3)

    out = {
        "rounds": a.rounds,
        "per_round": a.per_round,
        "baseline_rev": a.baseline_rev,
        "orm_cpu_ms": med("orm", 0),
        "baseline_cpu_ms": med("baseline", 0),
        "orm_wall_ms": med("orm", 1),
        "baseline_wall_ms": med("baseline", 1),
        "applications": total,
        "overspent_policies": overspent,
        "spent_equals_approved": spent == approved,
        "duplicates": duplicates,
    }
    out["cpu_ratio_orm_over_baseline"] = round(out["orm_cpu_ms"] / out["baseline_cpu_ms"], 3)
    out["wall_ratio_orm_over_baseline"] = round(out["orm_wall_ms"] / out["baseline_wall_ms"], 3)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(out, ensure_ascii=False, indent=2))
    ok = overspent == 0 and duplicates == 0 and spent == approved and total == 2 + 2 * a.rounds * a.per_round
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
