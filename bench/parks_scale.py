"""/parks and /dashboard figures at district scale in PostgreSQL: the old Python membership scan vs SQL.

    .venv/bin/python bench/parks_scale.py [--url postgresql+psycopg://postgres@127.0.0.1:5432/scale] [--firms 1000000]

Recreates the schema of the given database (never `test`), fills `--firms` enterprises with generate_series
(industry codes over 6 sections, a quarter 专精特新, a fifth 高新, 1 % JSON null), and 5 parks, then
times per park: the old way (load every candidate row, VirtualPark.admits in Python), park_member_count, and the
whole dashboard.park_figures(). Checks both ways give the same member counts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import or_, select, text  # noqa: E402

from portal import create_app, dashboard, services  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import Enterprise, VirtualPark  # noqa: E402

FILL = """
INSERT INTO enterprises (uscc, name, registered_district, street, industry_code, qualifications, credit_ok,
                         business_scope, description, verified, muted_categories, created_at, updated_at)
SELECT lpad(g::text, 18, '0'), '企业' || g, '宝安区', '新安街道',
       (ARRAY['C39','C38','I65','M73','F51','C34'])[1 + g % 6] || lpad((g % 97)::text, 2, '0'),
       CASE WHEN g % 100 = 0 THEN 'null'::json
            WHEN g % 4 = 0 THEN '["专精特新中小企业"]'::json
            WHEN g % 5 = 0 THEN '["国家高新技术企业"]'::json
            ELSE '[]'::json END,
       true, '', '', '{}'::json, '[]'::json, now(), now()
FROM generate_series(1, :n) AS g
"""
PARKS = [
    ("电子信息园", ["C39"], []),
    ("专精特新园", [], ["专精特新中小企业"]),
    ("软件高新园", ["I65"], ["国家高新技术企业"]),
    ("制造业园", ["C3", "C4"], []),
    ("科技服务园", ["M73"], ["国家高新技术企业", "专精特新中小企业"]),
]


def _old_count(park: VirtualPark) -> int:
    query = select(Enterprise.industry_code, Enterprise.qualifications)
    if park.industry_prefixes:
        query = query.where(or_(*(Enterprise.industry_code.startswith(p) for p in park.industry_prefixes)))
    return sum(1 for code, quals in db.session.execute(query) if park.admits(code, quals))


def _timed(fn, repeat: int) -> tuple[float, object]:
    runs, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), result


def main() -> None:
    """Fill, time, compare; print one line per park and the dashboard total."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/scale")
    parser.add_argument("--firms", type=int, default=1_000_000)
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()
    assert not args.url.rstrip("/").endswith("/test"), "never the CI database"
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.url, "SECRET_KEY": "bench"})
    with app.app_context():
        if not args.skip_load:
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.create_all()
            started = time.perf_counter()
            db.session.execute(text(FILL), {"n": args.firms})
            db.session.commit()
            db.session.execute(text("ANALYZE"))
            print(f"filled {args.firms} enterprises in {time.perf_counter() - started:.1f} s")
            db.session.query(VirtualPark).delete()
            for name, prefixes, quals in PARKS:
                db.session.add(
                    VirtualPark(name=name, description="", industry_prefixes=prefixes, qualifications=quals)
                )
            db.session.commit()
        for park in db.session.scalars(select(VirtualPark).order_by(VirtualPark.id)):
            old_s, old = _timed(lambda p=park: _old_count(p), 1)
            new_s, new = _timed(lambda p=park: services.park_member_count(p), 3)
            page_s, _ = _timed(lambda p=park: services.park_members(p, limit=500), 3)
            assert old == new, (park.name, old, new)
            print(
                f"{park.name}: {new} members; old Python scan {old_s * 1000:.0f} ms, "
                f"SQL count {new_s * 1000:.0f} ms, first 500 members {page_s * 1000:.0f} ms"
            )
        figures_s, _ = _timed(dashboard.park_figures, 3)
        print(f"dashboard.park_figures() for all parks: {figures_s * 1000:.0f} ms (median of 3)")


if __name__ == "__main__":
    main()
