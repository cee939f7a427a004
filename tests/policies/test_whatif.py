"""What-if in the sandbox: the pure tree rewrites and set arithmetic, then the page on a handmade population."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from portal.policies import scenarios, whatif

TREE = {
    "all": [
        {"field": "registered_district", "op": "eq", "value": "宝安区"},
        {"field": "revenue_wan", "op": "gte", "value": 2000},
        {
            "any": [
                {"field": "rd_ratio", "op": "gte", "value": 0.03},
                {"field": "employees", "op": "lt", "value": 50},
            ]
        },
        {
            "field": "loan_amount_wan",
            "op": "lte",
            "value": 500,
        },  # the loan's own figure: not an enterprise threshold
    ]
}


# ---------------------------------------------------------------- pure


def test_thresholds_are_the_enterprise_figures_with_an_order_op():
    found = whatif.thresholds(TREE)
    assert [(t.key, t.field, t.op) for t in found] == [
        ("1", "revenue_wan", "gte"),
        ("2.0", "rd_ratio", "gte"),
        ("2.1", "employees", "lt"),
    ]
    assert found[1].shown_value == Decimal("3")  # a ratio is typed in per cent
    assert str(found[0].shown_value) == "2000"  # not 2E+3


def test_with_value_rewrites_one_row_and_leaves_the_original():
    ratio = whatif.find_threshold(TREE, "2.0")
    changed = whatif.with_value(TREE, ratio, whatif.from_shown("ratio", Decimal("5")))
    assert changed["all"][2]["any"][0] == {"field": "rd_ratio", "op": "gte", "value": 0.05}
    assert TREE["all"][2]["any"][0]["value"] == 0.03
    assert changed["all"][0] is TREE["all"][0] and changed["all"][1] == TREE["all"][1]


def test_with_value_inside_a_not_group():
    tree = {"all": [{"not": {"field": "employees", "op": "gt", "value": 300}}]}
    found = whatif.find_threshold(tree, "0.0")
    assert whatif.with_value(tree, found, 500) == {
        "all": [{"not": {"field": "employees", "op": "gt", "value": 500}}]
    }


def test_find_threshold_refuses_a_row_that_is_not_a_threshold():
    with pytest.raises(whatif.WhatIfError, match="不是可调整的数值门槛"):
        whatif.find_threshold(TREE, "0")


def test_sweep_values_are_evenly_spaced_and_inclusive():
    values = whatif.sweep_values("1000", "10000", 10)
    assert values[0] == Decimal("1000.00") and values[-1] == Decimal("10000.00") and len(values) == 10
    assert values[1] == Decimal("2000.00")
    assert whatif.sweep_values(0, "0.01", 5) == [
        Decimal("0.00"),
        Decimal("0.01"),
    ]  # rounding merges neighbours


@pytest.mark.parametrize(
    ("start", "stop", "points", "message"),
    [
        ("a", "10", 5, "须为数字"),
        ("NaN", "10", 5, "须为数字"),
        ("1", "10", 1, "测算点数须在 2 到"),
        ("1", "10", whatif.MAX_POINTS + 1, "测算点数须在 2 到"),
        ("-1", "10", 5, "不能为负数"),
        ("5", "5", 5, "起点与终点相同"),
    ],
)
def test_sweep_values_refuse_bad_input(start, stop, points, message):
    with pytest.raises(whatif.WhatIfError, match=message):
        whatif.sweep_values(start, stop, points)


REVENUE = {"registered_district": "宝安区"}
FIRMS = {  # id → (revenue, district): the reach callables below evaluate this tiny table
    1: (500, "宝安区"),
    2: (2500, "宝安区"),
    3: (6000, "宝安区"),
    4: (9000, "南山区"),
}


def _members(conditions):
    from portal import conditions as cond

    return {
        i
        for i, (revenue, district) in FIRMS.items()
        if cond.eligible(conditions, {"revenue_wan": revenue, "registered_district": district})
    }


def _patterns(conditions):
    """The firms of FIRMS counted by which top-level conditions they pass, as the audience service counts them."""
    from collections import Counter

    from portal import conditions as cond

    nodes = cond.top_nodes(conditions)
    return Counter(
        tuple(
            cond.eligible({"all": [n]}, {"revenue_wan": revenue, "registered_district": district})
            for n in nodes
        )
        for revenue, district in FIRMS.values()
    )


def _reach(conditions):
    ids = _members(conditions)
    return whatif.Reach(len(ids), Decimal(10 * len(ids)).quantize(whatif.CENT))


SIMPLE = {
    "all": [
        {"field": "registered_district", "op": "eq", "value": "宝安区"},
        {"field": "revenue_wan", "op": "gte", "value": 2000},
    ]
}


def test_sweep_moves_only_the_threshold():
    found = whatif.find_threshold(SIMPLE, "1")
    points = whatif.sweep(SIMPLE, found, whatif.sweep_values(1000, 10000, 4), _reach)
    assert [(p.value, p.reach.total, p.current) for p in points] == [
        (Decimal("1000.00"), 2, False),
        (Decimal("2000.00"), 2, True),  # the draft's own value is always a point
        (Decimal("4000.00"), 1, False),
        (Decimal("7000.00"), 0, False),
        (Decimal("10000.00"), 0, False),
    ]
    assert points[0].reach.cost_wan == Decimal("20.00")
    outside = whatif.sweep(SIMPLE, found, whatif.sweep_values(3000, 4000, 2), _reach)
    assert [p.value for p in outside] == [Decimal("3000.00"), Decimal("4000.00")]


def test_near_misses_count_each_condition_alone():
    near = whatif.near_misses(SIMPLE, _patterns(SIMPLE))
    # firm 1 misses revenue only, firm 4 misses the district only; firms 2 and 3 qualify
    assert near.qualifying == 2
    assert [(r.index, r.count) for r in near.rows] == [(0, 1), (1, 1)]
    assert near.total == 2


def test_near_misses_leave_out_firms_missing_two():
    tree = {"all": [*SIMPLE["all"], {"field": "revenue_wan", "op": "lte", "value": 3000}]}
    near = whatif.near_misses(tree, _patterns(tree))
    # firm 4 fails the district and the cap; firm 3 only the cap; firm 1 only the floor
    assert [r.count for r in near.rows] == [0, 1, 1]


def test_compare_counts_the_overlap():
    both = whatif.compare(_reach(SIMPLE), _reach({"all": []}), _members(SIMPLE), _members({"all": []}))
    assert (both.first.total, both.second.total) == (2, 4)
    assert (both.both, both.only_first, both.only_second) == (2, 0, 2)
    assert both.overlap_share == 0.5
    empty = whatif.compare(whatif.Reach(0, Decimal(0)), whatif.Reach(0, Decimal(0)), set(), set())
    assert empty.overlap_share is None


# ---------------------------------------------------------------- through the audience service and the page


def _population(create_enterprise):
    for revenue in ("1500", "2500", "4000", "8000"):
        create_enterprise(revenue_wan=Decimal(revenue))
    create_enterprise(revenue_wan=Decimal("9000"), qualifications=[])  # misses the qualification only
    create_enterprise(revenue_wan=Decimal("900"), qualifications=[])  # misses two conditions
    create_enterprise(registered_district="南山区")  # misses the district only


def test_scenarios_through_the_audience(app, create_enterprise, create_policy, on):
    _population(create_enterprise)
    policy = create_policy(status="draft", support={"kind": "fixed", "amount_wan": 20})
    swept = scenarios.sweep(policy, "2", 1000, 10000, 4, on=on)
    assert [(p.reach.total, p.reach.cost_wan) for p in swept.points] == [
        (4, Decimal("80.00")),  # 1000: 1500, 2500, 4000, 8000
        (3, Decimal("60.00")),  # 2000, the draft's own value
        (2, Decimal("40.00")),  # 4000
        (1, Decimal("20.00")),  # 7000
        (0, Decimal("0.00")),
    ]
    assert policy.conditions["all"][2]["value"] == 2000  # the draft itself is not changed
    near = scenarios.near_misses(policy, on=on)
    assert near.qualifying == 3 and [r.count for r in near.rows] == [1, 1, 1]
    other = create_policy(
        status="draft", conditions={"all": [{"field": "revenue_wan", "op": "gte", "value": 5000}]}
    )
    compared = scenarios.compare(policy, other, on=on)
    # this policy: 2500, 4000, 8000; the other: 8000, 9000, the Nanshan firm (5230)
    assert (compared.first.total, compared.second.total, compared.both) == (3, 3, 1)
    assert (compared.only_first, compared.only_second) == (2, 2)


def _csrf(page: str) -> str:
    return re.search(r'name="sweep-csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_sandbox_page_sweeps_compares_and_refuses_bad_input(
    app, client, auth, create_user, create_enterprise, create_policy, official
):
    _population(create_enterprise)
    policy = create_policy(status="draft", support={"kind": "fixed", "amount_wan": 20}, budget_wan=50)
    other = create_policy(status="draft", title="对比草案", conditions={"all": []})
    auth.login(official)
    page = client.get(f"/policies/{policy.id}/sandbox").get_data(as_text=True)
    # the form starts on the first threshold, half to five times its value; the sweep waits for 测算
    assert (
        'value="1000.00"' in page and 'value="10000.00"' in page and 'data-testid="sweep-table"' not in page
    )
    assert 'id="near-total">' in page and "<strong>3</strong>" in page
    form = {"sweep-threshold": "2", "sweep-start": "1000", "sweep-stop": "7000",
            "sweep-points": "5", "sweep-sweep": "测算"}  # fmt: skip
    page = client.post(f"/policies/{policy.id}/sandbox", data=form).get_data(as_text=True)
    assert "★ 2,000.00" in page  # the draft's own value is a row, marked
    assert re.search(r"<th scope=\"row\">4,000.00</th>\s*<td class=\"text-end\">2</td>", page)
    assert "160.0%" in page  # 1000: four firms × 20 = 80 of a 50 budget
    bad = client.post(f"/policies/{policy.id}/sandbox", data=form | {"sweep-stop": "1000"})
    assert bad.status_code == 400 and "起点与终点相同" in bad.get_data(as_text=True)
    bad = client.post(f"/policies/{policy.id}/sandbox", data=form | {"sweep-threshold": "0"})
    assert bad.status_code == 400 and "不是有效的选择" in bad.get_data(as_text=True)
    compare = {"compare-other": str(other.id), "compare-compare": "对比"}
    page = client.post(f"/policies/{policy.id}/sandbox", data=compare).get_data(as_text=True)
    assert 'data-testid="compare-table"' in page and "对比草案" in page
    assert re.search(r"两项都符合的企业</th><td class=\"text-end\" colspan=\"2\">3（", page)
    app.config["WTF_CSRF_ENABLED"] = True  # the shared app's config is restored after the test
    refused = client.post(f"/policies/{policy.id}/sandbox", data=form)
    assert refused.status_code == 400 and 'data-testid="sweep-table"' not in refused.get_data(as_text=True)
    token = _csrf(client.get(f"/policies/{policy.id}/sandbox").get_data(as_text=True))
    accepted = client.post(f"/policies/{policy.id}/sandbox", data=form | {"sweep-csrf_token": token})
    assert accepted.status_code == 200 and "4,000.00" in accepted.get_data(as_text=True)
    app.config["WTF_CSRF_ENABLED"] = False  # so the helper can log out and in
    auth.logout()
    auth.login(create_user("enterprise"))
    assert client.get(f"/policies/{policy.id}/sandbox").status_code == 403
