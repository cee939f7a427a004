"""The editor and the policy group: 本类 in a row, the group field, rows with within_years kept whole."""

from __future__ import annotations

import json

from sqlalchemy import select

from portal.extensions import db
from portal.policies.models import Policy
from tests.policies.test_editor import _new_policy_data

ONE_OF_OWN = {"rows-3-field": "approved_groups", "rows-3-op": "not_contains_any", "rows-3-value": "本类"}


def test_own_group_row_and_group_field_are_saved(client, auth, official):
    auth.login(official)
    response = client.post("/policies/new", data=_new_policy_data(group="研发费用补贴", **ONE_OF_OWN))
    assert response.status_code == 302, response.get_data(as_text=True)
    policy = db.session.scalar(select(Policy))
    assert policy.group == "研发费用补贴"
    assert policy.conditions["all"][-1] == {
        "field": "approved_groups",
        "op": "not_contains_any",
        "value": ["@own"],
    }
    assert policy.criteria["all"][-1]["value"] == ["研发费用补贴"]  # bound for the evaluators
    page = client.get(f"/policies/{policy.id}/edit").get_data(as_text=True)
    assert 'value="本类"' in page and 'value="研发费用补贴"' in page


def test_own_group_without_a_group_is_refused(client, auth, official):
    auth.login(official)
    response = client.post("/policies/new", data=_new_policy_data(**ONE_OF_OWN))
    assert response.status_code == 400
    assert "请填写政策的支持类别 group" in response.get_data(as_text=True)
    assert db.session.scalar(select(Policy)) is None


def test_rows_with_within_years_open_in_the_json_box(client, auth, official, create_policy):
    within = {"field": "approved_groups", "op": "not_contains_any", "value": ["@own"], "within_years": 3}
    policy = create_policy(status="draft", group="研发费用补贴", conditions={"all": [within]})
    auth.login(official)
    page = client.get(f"/policies/{policy.id}/edit").get_data(as_text=True)
    assert "&#34;within_years&#34;: 3" in page or '"within_years": 3' in page
    assert json.loads(json.dumps(db.session.get(Policy, policy.id).conditions))["all"] == [within]


NESTED = {
    "all": [
        {"field": "registered_district", "op": "eq", "value": "宝安区"},
        {
            "any": [
                {
                    "field": "qualifications",
                    "op": "contains_any",
                    "value": ["国家高新技术企业", "专精特新中小企业"],
                },
                {
                    "all": [
                        {"field": "rd_ratio", "op": "gte", "value": 0.04},
                        {"field": "revenue_wan", "op": "gte", "value": 5000},
                    ]
                },
            ]
        },
    ]
}


def test_a_group_inside_a_group_is_built_in_the_row_editor(client, auth, official):
    """资质A、B之一，或 研发占比≥4% 且 营业收入≥5000万元: 组2 (all) sits inside 组1 (any)."""
    auth.login(official)
    data = _new_policy_data(
        **{
            "rows-0-value": "宝安区",
            "rows-1-field": "qualifications", "rows-1-op": "contains_any",
            "rows-1-value": "国家高新技术企业、专精特新中小企业", "rows-1-group": "1",
            "rows-2-field": "rd_ratio", "rows-2-op": "gte", "rows-2-value": "4%", "rows-2-group": "2",
            "rows-3-field": "revenue_wan", "rows-3-op": "gte", "rows-3-value": "5000", "rows-3-group": "2",
            "group1_kind": "any", "group2_kind": "all", "group2_parent": "1",
        }
    )  # fmt: skip
    response = client.post("/policies/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    policy = db.session.scalar(select(Policy))
    assert policy.conditions == NESTED
    # it opens in the rows again (not the JSON box), 组2 still inside 组1
    page = client.get(f"/policies/{policy.id}/edit").get_data(as_text=True)
    assert '<option selected value="1">组1 之内</option>' in page
    assert "&#34;any&#34;" not in page and '"any"' not in page.split("conditions_json")[-1][:200]


def test_a_parent_that_is_not_an_earlier_group_is_read_as_the_top(client, auth, official):
    auth.login(official)
    data = _new_policy_data(
        **{"rows-2-group": "2", "rows-3-field": "revenue_wan", "rows-3-op": "gte", "rows-3-value": "5000",
           "rows-3-group": "2", "group2_kind": "any", "group2_parent": "2"}
    )  # fmt: skip
    response = client.post("/policies/new", data=data)
    # a group cannot sit inside itself: the choice is refused (not one of 组2's choices)
    assert response.status_code == 400
    assert db.session.scalar(select(Policy)) is None


def test_trees_round_trip_through_the_row_editor():
    from portal.policies.forms import _grouped

    rows, kinds, parents = _grouped(NESTED)
    assert kinds == {"1": "any", "2": "all"} and parents == {"1": "", "2": "1"}
    assert [g for g, _ in rows] == ["", "1", "2", "2"]
    deeper = {"all": [{"any": [{"all": [{"not": {"field": "credit_ok", "op": "eq", "value": False}}]}]}]}
    assert _grouped(deeper) is not None  # three groups: any > all > not
    row = {"field": "credit_ok", "op": "eq", "value": True}
    four = {"all": [{"any": [row, {"all": [row, {"any": [row, {"all": [row]}]}]}]}]}
    assert _grouped(four) is None  # more groups than the editor has: the JSON box
