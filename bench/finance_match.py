"""Matching a financing request against 5,000 loan products, and routing it, in process.

    .venv/bin/python bench/finance_match.py [--products 5000] [--banks 60] [--runs 200]

Two measurements on the same synthetic products (fixed seed):
  (a) pure: portal.finance.matching.rank + pick_banks + explain for the chosen banks, on a derived profile;
  (b) service: services.create_request on SQLite (a temporary file) — validation, the SQL pre-filter, loading
      the candidate products, rank, pick, explain, writing the routes, notices and events (flush, rolled back).
Prints p50/p90/p99 in ms and how many products fit per request.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from portal import (  # noqa: E402
    conditions,
    reference,
    timeutil,  # noqa: E402
)
from portal.finance import matching  # noqa: E402

ENTERPRISE = {
    "name": "深圳市样例电子有限公司",
    "registered_district": "宝安区",
    "street": "新安街道",
    "industry_code": "C3982",
    "founded": date(2016, 3, 1),
    "employees": 180,
    "revenue_wan": Decimal("8600"),
    "assets_wan": Decimal("7200"),
    "rd_expense_wan": Decimal("520"),
    "tax_paid_wan": Decimal("260"),
    "qualifications": ["国家高新技术企业", "专精特新中小企业"],
    "credit_ok": True,
}


def _conditions(rng: random.Random) -> dict:
    """One to three realistic rows, about half of which this enterprise passes."""
    pool = [
        {"field": "credit_ok", "op": "eq", "value": True},
        {"field": "revenue_wan", "op": "gte", "value": rng.choice([500, 1000, 5000, 10000, 20000])},
        {"field": "years_since_founded", "op": "gte", "value": rng.choice([1, 2, 3, 5, 12])},
        {"field": "registered_district", "op": "in", "value": rng.sample(list(reference.DISTRICTS), 3)},
        {
            "field": "qualifications",
            "op": "contains_any",
            "value": rng.sample(list(reference.QUALIFICATIONS), 2),
        },
        {"field": "rd_ratio", "op": "gte", "value": rng.choice([0.03, 0.05, 0.08])},
        {"field": "size_class", "op": "in", "value": rng.sample(list(reference.SIZE_CLASSES), 2)},
        {"field": "industry_code", "op": "prefix_in", "value": [rng.choice(["C", "C39", "C38", "I", "F"])]},
    ]
    return conditions.normalize({"all": rng.sample(pool, rng.randint(1, 3))})


def make_products(n: int, banks: int, seed: int = 7) -> list[dict]:
    """Synthetic products as the column values of LoanProduct."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        low = Decimal(rng.choice([10, 50, 100, 200, 500, 1000]))
        rate = Decimal(rng.randint(300, 520)) / 100
        term = rng.choice([3, 6, 12, 24])
        rows.append(
            {
                "bank_index": i % banks,
                "name": f"产品{i}",
                "kind": rng.choice(matching.LOAN_KINDS),
                "amount_min_wan": low,
                "amount_max_wan": low * rng.choice([5, 10, 20, 50]),
                "term_min_months": term,
                "term_max_months": term * rng.choice([2, 3, 5]),
                "rate_min": rate,
                "rate_max": rate + Decimal("1.2"),
                "conditions_data": _conditions(rng),
            }
        )
    return rows


def _asks(runs: int, seed: int = 11) -> list[matching.Ask]:
    rng = random.Random(seed)
    return [
        matching.Ask(
            Decimal(rng.choice([100, 300, 500, 1000, 2000])),
            rng.choice([12, 24, 36]),
            Decimal(rng.choice(["4.2", "4.5", "5.0", "6.0"])),
            rng.choice(matching.COLLATERAL_KINDS),
        )
        for _ in range(runs)
    ]


def _report(name: str, times: list[float], fits: list[int]) -> None:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    print(
        f"{name}: p50 {cuts[49] * 1000:.1f} ms, p90 {cuts[89] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms "
        f"over {len(times)} requests; products fitting per request: median {statistics.median(fits):.0f}"
    )


def bench_pure(rows: list[dict], runs: int, slots: int) -> None:
    """(a) rank + pick_banks + explain, no database."""
    products = [
        matching.Product(
            i, r["bank_index"] + 1, r["name"], r["kind"], r["amount_min_wan"], r["amount_max_wan"],
            r["term_min_months"], r["term_max_months"], r["rate_min"], r["rate_max"], r["conditions_data"],
        )
        for i, r in enumerate(rows, 1)
    ]  # fmt: skip
    profile = conditions.derive(ENTERPRISE, date(2026, 12, 1))
    times, fits = [], []
    for ask in _asks(runs):
        started = time.perf_counter()
        ranked = matching.rank(ask, products, profile)
        chosen = matching.pick_banks(ranked, slots=slots)
        for fit in chosen:
            matching.explain(ask, fit.product, profile)
        times.append(time.perf_counter() - started)
        fits.append(len(ranked))
    _report(f"(a) pure matching over {len(products):,} products", times, fits)


def bench_service(rows: list[dict], banks: int, runs: int) -> None:
    """(b) services.create_request on SQLite: pre-filter in SQL, rank in Python, write routes (rolled back)."""
    from types import SimpleNamespace

    from portal import create_app
    from portal.extensions import db
    from portal.finance import services
    from portal.finance.models import LoanProduct
    from portal.models import Bank, Enterprise, Role

    folder = tempfile.mkdtemp(prefix="finance_match_")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite", "SECRET_KEY": "bench"})
    with app.app_context():
        db.create_all()
        bank_ids = []
        for b in range(banks):
            bank = Bank(name=f"压测银行{b}")
            db.session.add(bank)
            db.session.flush()
            bank_ids.append(bank.id)
        db.session.execute(
            LoanProduct.__table__.insert(),
            [
                {k: v for k, v in r.items() if k not in ("bank_index", "conditions_data")}
                | {"bank_id": bank_ids[r["bank_index"]], "conditions": r["conditions_data"], "description": "", "active": True}
                for r in rows
            ],
        )  # fmt: skip
        firm = Enterprise(uscc=reference.make_uscc("440306", 1), verified={}, **ENTERPRISE)
        db.session.add(firm)
        db.session.commit()
        actor = SimpleNamespace(id=None, role=Role.ENTERPRISE, enterprise_id=firm.id, is_confirmed=True)
        times, fits = [], []
        for ask in _asks(runs):
            started = time.perf_counter()
            request = services.create_request(
                actor=actor,
                amount_wan=ask.amount,
                term_months=ask.term,
                purpose="购置设备及补充流动资金",
                collateral=ask.collateral,
                max_rate=ask.max_rate,
                consent_bank_ids=None,
                consent_groups=["基本信息"],
                consent_until=timeutil.today() + timedelta(days=30),
            )
            times.append(time.perf_counter() - started)
            fits.append(len(request.routes))
            db.session.rollback()
        _report("(b) services.create_request on SQLite (routes written, rolled back)", times, fits)
        print("    (for (b) the last figure is banks routed, at most ROUTE_MAX_BANKS)")


def main() -> None:
    """Build the products, run both measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--banks", type=int, default=60)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    rows = make_products(args.products, args.banks)
    bench_pure(rows, args.runs, slots=3)
    bench_service(rows, args.banks, args.runs)


if __name__ == "__main__":
    main()
