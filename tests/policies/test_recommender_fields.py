"""The vectorised engine on the registry's newer fields: places, figures by year, the portal's own records.

Exactness pinned pair for pair against the scalar engine (conditions.eligible) on random firms and trees.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np

from portal import conditions as cond
from portal.conditions import bind_own, derive, eligible
from portal.policies import recommender as rec

AS_OF = date(2026, 6, 30)
GROUPS = ["研发费用补贴", "人才奖励", "上市奖励"]
DISTRICTS = ["宝安区", "南山区", "福田区"]


def _record(r: random.Random, k: int) -> dict:
    revenue = r.choice([800, 1000, 1200, 5000, round(r.uniform(0, 9000), 1)])
    previous = r.choice([None, 0, 900, 1000, 4000, round(r.uniform(0, 9000), 1)])
    figures = {"2025": {"revenue_wan": revenue, "tax_paid_wan": r.choice([50, 120, 300])}}
    if previous is not None:
        figures["2024"] = {"revenue_wan": previous, "tax_paid_wan": r.choice([0, 100, 120])}
    approved = {
        g: [(AS_OF - timedelta(days=r.choice([10, 365 * 2, 365 * 3, 365 * 3 + 1, 365 * 6]))).isoformat()]
        for g in r.sample(GROUPS, r.randrange(3))
    }
    record = {
        "uscc": f"U{k}",
        "registered_district": r.choice(DISTRICTS),
        "tax_district": r.choice([*DISTRICTS, None]),
        "operating_district": r.choice([*DISTRICTS, None]),
        "street": "新安街道",
        "industry_code": "C3841",
        "founded": "2015-01-01",
        "employees": 50,
        "figures": figures,
        "approved_groups": None if r.random() < 0.1 else approved,
        "qualifications": [],
        "credit_ok": True,
        "business_scope": "",
        "description": "",
    }
    return record


def _row(r: random.Random) -> dict:
    field, op, value = r.choice(
        [
            ("tax_district", r.choice(["eq", "ne"]), "宝安区"),
            ("operating_district", r.choice(["in", "not_in"]), ["宝安区", "南山区"]),
            ("revenue_wan_prev", r.choice(["gte", "lt"]), r.choice([1000, 4000])),
            ("revenue_growth", r.choice(["gte", "gt", "lt"]), r.choice([0, 0.2, 0.25])),
            ("tax_paid_growth", r.choice(["gte", "lte"]), r.choice([0, 0.2])),
            (
                "approved_groups",
                r.choice(["contains_any", "not_contains_any"]),
                r.sample([*GROUPS, "@own"], 2),
            ),
        ]
    )
    row = {"field": field, "op": op, "value": value}
    if field == "approved_groups" and r.random() < 0.6:
        row["within_years"] = r.choice([1, 3, 5])
    return row


def _tree(r: random.Random) -> dict:
    rows = [_row(r) for _ in range(r.randrange(1, 4))]
    if r.random() < 0.4:
        return {"all": [rows[0], {"any": [_row(r), {"not": _row(r)}]}]}
    return {"all": rows}


def test_vectorised_equals_engine_on_places_figures_and_groups():
    r = random.Random(11)
    profiles = [derive(_record(r, k), AS_OF) for k in range(300)]
    policies = []
    for k in range(60):
        criteria = _tree(r)
        assert cond.validate(criteria) == [], criteria
        group = r.choice([None, "研发费用补贴"])
        policies.append({"id": f"P{k}", "title": f"P{k}", "text": "", "criteria": criteria, "group": group})
    index = rec.PolicyIndex(policies)
    table = rec.EnterpriseTable.from_profiles(profiles)
    decided = 0
    for p in policies:
        bound = bind_own(p["criteria"], p["group"])
        expected = [i for i, prof in enumerate(profiles) if eligible(bound, prof)]
        decided += len(expected)
        assert rec.audience(index, table, p["id"]).tolist() == expected, p
    assert decided > 100  # the random set decides many pairs both ways, not only "nobody"
    half = table.subset(slice(0, 150))
    for p in policies[:20]:
        bound = bind_own(p["criteria"], p["group"])
        expected = [i for i, prof in enumerate(profiles[:150]) if eligible(bound, prof)]
        assert rec.audience(index, half, p["id"]).tolist() == expected


def test_table_rows_carry_groups_and_growth():
    profiles = [derive(_record(random.Random(k), k), AS_OF) for k in range(30)]
    table = rec.EnterpriseTable.from_profiles(profiles)
    for k, prof in enumerate(profiles):
        row = table.row(k)
        assert row["approved_groups"] == prof["approved_groups"]
        assert row["revenue_growth"] == prof["revenue_growth"]
        assert row["tax_district"] == prof["tax_district"]


def test_patched_table_replaces_groups():
    records = [_record(random.Random(k), k) for k in range(10)]
    table = rec.EnterpriseTable.from_profiles([derive(x, AS_OF) for x in records])
    changed = records[3] | {"approved_groups": {"上市奖励": [AS_OF.isoformat()]}}
    other = rec.EnterpriseTable.from_profiles([derive(changed, AS_OF)])
    patched = table.patched(np.array([3]), other)
    assert patched.row(3)["approved_groups"] == {"上市奖励": 0}
    assert patched.row(4)["approved_groups"] == table.row(4)["approved_groups"]


def test_from_columns_growth_is_exact_and_unknown_without_previous_year():
    n = 3
    columns = {
        "registered_district": np.array(["宝安区"] * n),
        "street": np.array(["新安街道"] * n),
        "industry_code": np.array(["C3841"] * n),
        "founded": np.array(["2015-01-01"] * n, dtype="datetime64[D]"),
        "employees": np.array([50] * n),
        "qualifications": np.zeros(n, dtype=np.uint64),
        "credit_ok": np.array([True] * n),
        "revenue_wan": (np.array([120000, 100000, 50000]), 100),
        "assets_wan": (np.array([0, 0, 0]), 100),
        "rd_expense_wan": (np.array([0, 0, 0]), 100),
        "tax_paid_wan": (np.array([0, 0, 0]), 100),
        "revenue_wan_prev": (np.array([100000, 0, 0]), 100),
    }
    known = {"revenue_wan_prev": np.array([True, True, False])}
    table = rec.EnterpriseTable.from_columns(["A", "B", "C"], columns, AS_OF, known=known)
    assert [table.row(i)["revenue_growth"] for i in range(n)] == [cond.exact(0.2), None, None]
    assert table.row(0)["tax_district"] is None  # not loaded: unknown, never a silent pass


def test_lapsed_holdings_do_not_count_in_the_vectorised_engine():
    """A holding past its end date (qualification_until) counts as the scalar engine says: not on the day."""
    names = ["国家高新技术企业", "专精特新中小企业"]
    ends = [None, "", "2026-06-29", "2026-06-30", "2027-01-01"]
    r = random.Random(5)
    records = []
    for k in range(120):
        held = r.sample(names, r.randrange(3))
        until = {q: e for q in held if (e := r.choice(ends)) is not None}
        records.append(_record(r, k) | {"qualifications": held, "qualification_until": until})
    profiles = [derive(x, AS_OF) for x in records]
    assert any(p["qualifications_lapsed"] for p in profiles)
    trees = [
        {"all": [{"field": "qualifications", "op": op, "value": value}]}
        for op in ("contains_any", "contains_all", "not_contains_any")
        for value in (names[:1], names)
    ]
    policies = [{"id": f"Q{k}", "title": "", "text": "", "criteria": t} for k, t in enumerate(trees)]
    index = rec.PolicyIndex(policies)
    table = rec.EnterpriseTable.from_profiles(profiles)
    changed = 0
    for p in policies:
        expected = [i for i, prof in enumerate(profiles) if eligible(p["criteria"], prof)]
        assert rec.audience(index, table, p["id"]).tolist() == expected, p
        undated = [i for i, x in enumerate(records) if eligible(p["criteria"], derive(x, date(2026, 1, 1)))]
        changed += expected != undated
    assert changed > 0  # the end dates decided some pairs (the same records half a year earlier differ)
