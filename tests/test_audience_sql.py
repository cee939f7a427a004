"""The SQL audience equals the pure evaluator pair for pair: dev set, edge records and generated trees.

Every (enterprise, conditions) pair gets the same outcome (pass / fail / unknown) from
`audience_sql.outcome(compile_tree(...))` in the database as from `conditions.matcher` on the enterprise's
profile read back through the ORM. Runs on SQLite, and on PostgreSQL with PORTAL_TEST_DATABASE_URL.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import and_, insert, select

from portal import audience_sql
from portal import conditions as cond
from portal.approvals.models import Application
from portal.extensions import db
from portal.models import Enterprise, EnterpriseFigures
from portal.policies import audience
from portal.policies.models import Policy, PolicyRevision
from tests.shared_bench import DEV, needs_dev_set

AS_OF = date(2026, 6, 30)
TABLE = Enterprise.__table__

_BASE = {
    "name": "边界企业",
    "registered_district": "宝安区",
    "street": "新安街道",
    "industry_code": "C3841",
    "founded": date(2019, 5, 12),
    "employees": 86,
    "revenue_wan": Decimal("5230.00"),
    "assets_wan": Decimal("4100.00"),
    "rd_expense_wan": Decimal("310.00"),
    "tax_paid_wan": Decimal("180.00"),
    "qualifications": ["国家高新技术企业"],
    "credit_ok": True,
    "business_scope": "",
    "description": "",
    "verified": {},
    "muted_categories": [],
}
# every way a field can be missing, odd or on a boundary
EDGES = [
    {},
    {"street": None, "industry_code": None},
    {"founded": None, "employees": None},
    {"revenue_wan": None},
    {"rd_expense_wan": None},
    {"assets_wan": None, "tax_paid_wan": None},
    {"qualifications": None},  # a JSON null, as issue 13's park page met
    {"qualifications": []},
    {"qualifications": ["专精特新中小企业", "国家高新技术企业", "科技型中小企业"]},
    {"credit_ok": None},
    {"credit_ok": False},
    {"founded": date(2027, 1, 1)},  # after as_of: the age is unknown
    {"founded": AS_OF},
    {"founded": date(2020, 2, 29)},
    {"founded": date(2023, 6, 30)},
    {"founded": date(2023, 7, 1)},
    {"revenue_wan": Decimal("0.00"), "rd_expense_wan": Decimal("0.00")},
    {"revenue_wan": Decimal("0.00"), "rd_expense_wan": Decimal("5.00")},
    {"revenue_wan": Decimal("1000.00"), "rd_expense_wan": Decimal("30.00")},  # exactly 3 %
    {"revenue_wan": Decimal("-100.00"), "rd_expense_wan": Decimal("-3.00")},  # a negative figure flips ×
    {"revenue_wan": Decimal("2000.01"), "rd_expense_wan": Decimal("0.01")},
    {"revenue_wan": Decimal("2000.00"), "employees": 300, "assets_wan": Decimal("0.00")},
    {"revenue_wan": Decimal("40000.00"), "employees": 1000},  # 工业 大型 on both bounds
    {"revenue_wan": Decimal("39999.99"), "employees": 1000},
    {"industry_code": "J6620"},  # 金融业: no size class
    {"industry_code": "K7010", "assets_wan": Decimal("10000.00"), "revenue_wan": Decimal("1000.00")},
    {"industry_code": "E4710", "assets_wan": None},  # 建筑业 needs assets
    {"industry_code": "F5123", "employees": 5, "revenue_wan": Decimal("1000.00")},
    {"industry_code": "c3841"},  # not a GB/T code: prefix C does not hold, the size is unknown
    {"industry_code": "X9999"},
    {"registered_district": "南山区", "street": "粤海街道"},
    {"employees": 0, "tax_paid_wan": Decimal("0.00")},
    {"tax_district": "南山区", "operating_district": None},
    {"tax_district": None, "operating_district": "福田区"},
    # holdings with an end date: lapsed before AS_OF, ending on it, later, and an empty end (no end)
    {"qualification_until": {"国家高新技术企业": "2026-06-29"}},
    {"qualification_until": {"国家高新技术企业": "2026-06-30"}},
    {
        "qualifications": ["国家高新技术企业", "专精特新中小企业"],
        "qualification_until": {"国家高新技术企业": "2027-01-01", "专精特新中小企业": "2025-12-31"},
    },
    {"qualification_until": {"国家高新技术企业": ""}},
    {"qualification_until": {"科技型中小企业": "2020-01-01"}},  # an end for a name not held
    {"qualifications": None, "qualification_until": {"国家高新技术企业": "2020-01-01"}},
]
# year figures of some edge records (index in EDGES → {year: figures}); the record's columns stay as above
# unless set to None there, when derive takes the latest year's
FIGURES = {
    3: {2025: {"revenue_wan": Decimal("2000.00")}, 2024: {"revenue_wan": Decimal("1600.00")}},
    4: {2025: {"rd_expense_wan": Decimal("60.00")}},
    5: {2025: {"tax_paid_wan": Decimal("110.00")}, 2024: {"tax_paid_wan": Decimal("100.00")}},
    30: {2025: {"revenue_wan": Decimal("0.00")}, 2024: {"revenue_wan": Decimal("0.00")}},
    31: {2025: {"revenue_wan": Decimal("50.00")}, 2024: {"revenue_wan": Decimal("-100.00")}},
    32: {2025: {"tax_paid_wan": Decimal("90.00")}, 2023: {"tax_paid_wan": Decimal("100.00")}},
    33: {2025: {}, 2024: {"revenue_wan": Decimal("5230.00"), "tax_paid_wan": Decimal("0.00")}},
    34: {2025: {"revenue_wan": Decimal("6276.00")}, 2024: {"revenue_wan": Decimal("5230.00")}},
    35: {2025: {"revenue_wan": Decimal("5230.00")}, 2024: {"revenue_wan": Decimal("4935.00")}},
}
# approved applications of some edge records: index → [(policy group, decided at UTC)]; China time is UTC+8
APPROVALS = {
    0: [("研发费用补贴", datetime(2024, 6, 30, 16, 0, tzinfo=UTC))],  # 2024-07-01 in China: within 2 years
    1: [
        ("研发费用补贴", datetime(2024, 6, 29, 15, 59, tzinfo=UTC))
    ],  # 2024-06-29 in China: just over 2 years
    2: [("人才奖励", datetime(2026, 6, 30, 15, 59, tzinfo=UTC))],  # the evaluation day itself
    6: [("人才奖励", datetime(2026, 6, 30, 16, 0, tzinfo=UTC))],  # the day after: not yet
    7: [("研发费用补贴", datetime(2018, 1, 1, tzinfo=UTC)), ("人才奖励", datetime(2025, 1, 1, tzinfo=UTC))],
}


def _records(rows: list[dict]) -> list[dict]:
    out = []
    for k, fields in enumerate(rows):
        record = _BASE | fields
        record["uscc"] = f"TEST{k:014d}"
        record["name"] = f"{record['name']}{k}"
        out.append(record)
    return out


def _dev_records() -> list[dict]:
    keep = set(_BASE) - {"name", "business_scope", "description", "verified", "muted_categories"}
    rows = []
    for line in (DEV / "enterprises.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        fields = {k: r.get(k) for k in keep} | {"name": r["name"], "uscc": r["uscc"]}
        fields["founded"] = date.fromisoformat(r["founded"]) if r.get("founded") else None
        for money in ("revenue_wan", "assets_wan", "rd_expense_wan", "tax_paid_wan"):
            if fields[money] is not None:
                fields[money] = Decimal(str(fields[money])).quantize(Decimal("0.01"))
        rows.append(_BASE | fields)
    return rows


def _portal_records(ids: list[int]) -> None:
    """Year figures and approved applications of the edge records (FIGURES, APPROVALS) by their position."""
    rows = [
        {"enterprise_id": ids[k], "year": year, **values}
        for k, years in FIGURES.items()
        if k < len(ids)
        for year, values in years.items()
    ]
    if rows:
        db.session.execute(insert(EnterpriseFigures), rows)
    approvals = [(k, g, at) for k, items in APPROVALS.items() if k < len(ids) for g, at in items]
    if not approvals:
        return
    policies = {}
    for n, group in enumerate(sorted({g for _, g, _ in approvals})):
        policy = Policy(code=f"AUD-{n}", title=f"{group}政策", category="科技创新", group=group)
        policy.revisions.append(PolicyRevision(number=1, content={}))
        db.session.add(policy)
        policies[group] = policy
    db.session.flush()
    for k, group, at in approvals:
        policy = policies[group]
        db.session.add(
            Application(
                enterprise_id=ids[k], policy_id=policy.id, revision_id=policy.revisions[0].id, decided_at=at
            )
        )
    db.session.flush()
    db.session.execute(Application.__table__.update().values(status="approved"))


def _load(records: list[dict], portal_records: bool = False) -> dict[int, dict]:
    """Insert the records; return id → profile as the app derives it from the stored row."""
    db.session.execute(insert(Enterprise), records)
    if portal_records:
        ids = list(db.session.scalars(select(Enterprise.id).order_by(Enterprise.id)))
        _portal_records(ids)
    db.session.commit()
    db.session.expire_all()
    return {e.id: e.profile(AS_OF) for e in db.session.scalars(select(Enterprise))}


def _sql_outcomes(conditions, bound=None) -> dict[int, str]:
    dialect = db.engine.dialect.name
    audience._plain_plans()  # as the audience service runs its queries (no JIT on PostgreSQL)
    expr = audience_sql.compile_tree(conditions, TABLE, as_of=AS_OF, dialect=dialect, bound=bound)
    return dict(db.session.execute(select(TABLE.c.id, audience_sql.outcome(expr))).all())


def _filtered(conditions) -> set[int]:
    """Ids a WHERE with the index prefilter admits (what the services select)."""
    dialect = db.engine.dialect.name
    audience._plain_plans()
    where = and_(
        audience_sql.compile_tree(conditions, TABLE, as_of=AS_OF, dialect=dialect),
        *audience_sql.prefilter(conditions, TABLE, dialect=dialect),
    )
    return set(db.session.scalars(select(TABLE.c.id).where(where)))


def _mismatches(conditions, profiles, bound=None) -> list:
    run = cond.matcher(conditions)
    got = _sql_outcomes(conditions, bound)
    if bound is None:  # the prefiltered WHERE admits exactly the passes
        passes = {eid for eid, status in got.items() if status == cond.PASS}
        assert _filtered(conditions) == passes
    return [
        (eid, run(p | dict(bound or {})), got[eid])
        for eid, p in profiles.items()
        if run(p | dict(bound or {})) != got[eid]
    ]


@needs_dev_set
def test_dev_set_every_pair_equal(app):
    """All 100 dev policies × 3,000 dev enterprises (+ edge records): SQL outcome == evaluator outcome."""
    profiles = _load(_records(EDGES), portal_records=True) | _load(_dev_records())
    policies = [
        json.loads(line) for line in (DEV / "policies.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    seen = {cond.PASS: 0, cond.FAIL: 0, cond.UNKNOWN: 0}
    for p in policies:
        conditions = cond.normalize(p["criteria"])
        assert _mismatches(conditions, profiles) == [], p["id"]
        for status in _sql_outcomes(conditions).values():
            seen[status] += 1
    assert len(profiles) == 3000 + len(EDGES)
    assert min(seen.values()) > 0, seen  # the comparison covered all three outcomes


def test_edge_records_on_handwritten_rows(app):
    """Each field and op on the edge records, including exact boundaries, missing data and loan rows."""
    profiles = _load(_records(EDGES), portal_records=True)
    rows = [
        ("revenue_wan", "gte", 2000),
        ("revenue_wan", "gte", 2000.005),
        ("revenue_wan", "lt", 2000.01),
        ("revenue_wan", "eq", 2000.001),
        ("revenue_wan", "ne", 2000.001),
        ("revenue_wan", "eq", 2000),
        ("employees", "gt", 299.5),
        ("employees", "lte", 0),
        ("years_since_founded", "gte", 3),
        ("years_since_founded", "lt", 3),
        ("years_since_founded", "eq", 0),
        ("years_since_founded", "ne", 7.1),
        ("years_since_founded", "gt", 6.3),
        ("rd_ratio", "gte", 0.03),
        ("rd_ratio", "gt", 0.03),
        ("rd_ratio", "eq", 0),
        ("rd_ratio", "lte", 0.0000049),
        ("size_class", "in", ["小型", "微型"]),
        ("size_class", "eq", "大型"),
        ("size_class", "not_in", ["中型"]),
        ("industry_code", "prefix_in", ["C38", "K"]),
        ("industry_code", "not_in", ["C3841"]),
        ("qualifications", "contains_any", ["国家高新技术企业"]),
        ("qualifications", "contains_all", ["国家高新技术企业", "专精特新中小企业"]),
        ("qualifications", "not_contains_any", ["科技型中小企业"]),
        ("credit_ok", "eq", True),
        ("credit_ok", "ne", True),
        ("street", "in", ["新安街道", "西乡街道"]),
        ("registered_district", "ne", "宝安区"),
        ("loan_collateral", "eq", "知识产权质押"),
        ("tax_district", "eq", "南山区"),
        ("operating_district", "not_in", ["宝安区"]),
        ("revenue_wan_prev", "gte", 1600),
        ("revenue_wan_prev", "lt", 0),
        ("revenue_growth", "gte", 0.2),
        ("revenue_growth", "gt", 0.2),
        ("revenue_growth", "lt", -1),
        ("revenue_growth", "eq", 0.05977),
        ("tax_paid_growth", "gte", 0.1),
        ("tax_paid_growth", "lte", 0),
        ("qualifications", "contains_all", ["国家高新技术企业"]),
        ("approved_groups", "contains_any", ["研发费用补贴"]),
        ("approved_groups", "not_contains_any", ["人才奖励", "研发费用补贴"]),
        ("approved_groups", "contains_any", ["@own"]),
    ]
    for field, op, value in rows:
        conditions = cond.normalize({"all": [{"field": field, "op": op, "value": value}]})
        assert _mismatches(conditions, profiles) == [], (field, op, value)
        assert _mismatches({"not": conditions}, profiles) == [], ("not", field, op, value)
    for within in (0.5, 1, 2, 8.5):
        for op in ("contains_any", "not_contains_any"):
            row = {"field": "approved_groups", "op": op, "value": ["研发费用补贴", "人才奖励"]}
            conditions = cond.normalize({"all": [row | {"within_years": within}]})
            assert _mismatches(conditions, profiles) == [], (op, within)
    outcomes = {
        name: set(_sql_outcomes(cond.normalize({"all": [{"field": name, "op": "gte", "value": 0}]})).values())
        for name in ("revenue_wan_prev", "revenue_growth", "tax_paid_growth")
    }
    assert all(o == {cond.PASS, cond.FAIL, cond.UNKNOWN} or cond.PASS in o for o in outcomes.values())


def test_loan_rows_are_bound_from_the_request(app):
    """A 贴息 policy's loan rows take the request's values: pass, fail, or unknown without a request."""
    profiles = _load(_records(EDGES[:6]))
    conditions = cond.normalize(
        {
            "all": [
                {"field": "loan_collateral", "op": "eq", "value": "知识产权质押"},
                {"field": "loan_amount_wan", "op": "lte", "value": 1000},
                {"field": "revenue_wan", "op": "gte", "value": 100},
            ]
        }
    )
    loan = cond.with_loan({}, collateral="知识产权质押", purpose="研发", amount_wan="500", term_months=12)
    other = cond.with_loan({}, collateral="房产抵押", purpose="研发", amount_wan="500", term_months=12)
    for bound in (None, loan, other):
        assert _mismatches(conditions, profiles, bound) == []
    outcomes = [set(_sql_outcomes(conditions, b).values()) for b in (None, loan, other)]
    assert (
        outcomes[0] <= {cond.UNKNOWN, cond.FAIL} and cond.PASS in outcomes[1] and outcomes[2] == {cond.FAIL}
    )


# ---------------------------------------------------------------- generated trees

_DISTRICTS = st.sampled_from(["宝安区", "南山区", "福田区"])
_VALUES = {
    "registered_district": _DISTRICTS,
    "tax_district": _DISTRICTS,
    "operating_district": _DISTRICTS,
    "growth": st.sampled_from([-1, -0.5, 0, 0.05977, 0.1, 0.2, 0.25, 1]),
    "approved_groups": st.sampled_from(["研发费用补贴", "人才奖励", "@own"]),
    "street": st.sampled_from(["新安街道", "西乡街道", "粤海街道"]),
    "industry_code": st.sampled_from(["C3841", "J6620", "K7010", "F5123", "E4710"]),
    "industry_prefix": st.sampled_from(["C", "C38", "C384", "K", "F51", "J"]),
    "years_since_founded": st.sampled_from([0, 1, 3, 3.5, 6.3, 7.133, 10]),
    "employees": st.sampled_from([0, 5, 20, 86, 299.5, 300, 1000]),
    "money": st.sampled_from([0, 0.01, 100, 1000, 2000, 2000.005, 2000.01, 5230, 39999.99, 40000]),
    "rd_ratio": st.sampled_from([0, 0.01, 0.03, 0.0593, 0.05927, 1]),
    "size_class": st.sampled_from(["大型", "中型", "小型", "微型"]),
    "qualifications": st.sampled_from(["国家高新技术企业", "专精特新中小企业", "科技型中小企业"]),
    "credit_ok": st.booleans(),
}


@st.composite
def _row(draw):
    # every field a stored record answers (loan rows are the request's: test_loan_rows_are_bound…)
    field = draw(st.sampled_from([f for f, s in cond.FIELDS.items() if s.source != "loan"]))
    op = draw(st.sampled_from(cond.FIELDS[field].ops))
    key = {
        "revenue_wan": "money",
        "revenue_wan_prev": "money",
        "assets_wan": "money",
        "rd_expense_wan": "money",
        "tax_paid_wan": "money",
        "revenue_growth": "growth",
        "tax_paid_growth": "growth",
    }.get(field, "industry_prefix" if op == "prefix_in" else field)
    values = _VALUES[key]
    value = draw(st.lists(values, min_size=1, max_size=3)) if cond.OPS[op].many else draw(values)
    row = {"field": field, "op": op, "value": value}
    if field == "approved_groups" and draw(st.booleans()):
        row["within_years"] = draw(st.sampled_from([0.5, 1, 2, 8.5]))
    return row


_trees = st.recursive(
    _row(),
    lambda inner: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(inner, min_size=0, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda x: {"not": x}, inner),
    ),
    max_leaves=6,
)


def test_generated_trees_equal(app):
    """Random all/any/not trees (any depth SQL can take) over the edge records: every pair equal."""
    profiles = _load(_records(EDGES), portal_records=True)

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_trees)
    def check(tree):
        assert _mismatches(tree, profiles) == []

    check()


def test_compiler_imports_without_flask():
    """The compiler is pure: no Flask, Flask-SQLAlchemy, WTForms or view module (SQLAlchemy Core is its job)."""
    probe = "import json, sys; import portal.audience_sql; print(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout)
    leaked = [m for m in loaded if m.split(".")[0] in ("flask", "flask_sqlalchemy", "wtforms", "werkzeug")]
    assert "portal.audience_sql" in loaded and leaked == [] and not any(m.endswith(".views") for m in loaded)
