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
