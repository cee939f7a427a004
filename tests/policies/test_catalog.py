"""Catalog search and filters, detail, revisions on edit."""

from __future__ import annotations

from datetime import date, timedelta

from portal.extensions import db
from portal.policies import catalog
from portal.policies.models import Policy


def test_search_finds_a_policy_by_a_chinese_word(client, auth, create_user, create_policy):
    create_policy(title="宝安区工业互联网标杆项目资助", text="支持企业开展数字化改造和工业互联网平台应用。")
    create_policy(title="宝安区稳岗就业补贴", category="稳岗就业", text="对吸纳就业的企业给予社保补贴。")
    auth.login(create_user("enterprise"))
    page = client.get("/policies/?q=工业互联网").get_data(as_text=True)
    assert "宝安区工业互联网标杆项目资助" in page and "稳岗就业补贴" not in page
    page = client.get("/policies/?q=社保补贴").get_data(as_text=True)  # a word in the body only
    assert "宝安区稳岗就业补贴" in page and "工业互联网标杆" not in page
    page = client.get("/policies/?q=量子计算").get_data(as_text=True)
    assert "没有符合条件的政策" in page


def test_search_words_are_whole_tokens(app, create_user, create_policy, on):
    create_policy(
        title="宝安区知识产权质押融资贴息", category="知识产权", text="对知识产权质押贷款给予贴息。"
    )
    user = create_user("enterprise")
    assert catalog.search_policies(user, on=on, query="质押贷款").total == 1
    assert catalog.search_policies(user, on=on, query="知识产权 贴息").total == 1
    assert catalog.search_policies(user, on=on, query="知识产权 房租").total == 0


def test_filters_and_drafts_hidden_from_enterprises(client, auth, create_user, create_policy, on):
    create_policy(title="开放中的人才政策", category="人才支持", deadline=on + timedelta(days=30))
    create_policy(
        title="已截止的人才政策",
        category="人才支持",
        published_on=date(2025, 1, 1),
        deadline=on - timedelta(days=1),
    )
    draft = create_policy(status="draft", title="尚未发布的草稿政策")
    auth.login(create_user("enterprise"))
    page = client.get("/policies/?category=人才支持&open=open").get_data(as_text=True)
    assert "开放中的人才政策" in page and "已截止的人才政策" not in page
    page = client.get("/policies/?open=closed").get_data(as_text=True)
    assert "已截止的人才政策" in page and "开放中的人才政策" not in page
    assert "尚未发布的草稿政策" not in client.get("/policies/?status=draft").get_data(as_text=True)
    assert client.get(f"/policies/{draft.id}").status_code == 404
    auth.logout()
    auth.login(create_user("official"))
    assert "尚未发布的草稿政策" in client.get("/policies/?status=draft").get_data(as_text=True)
    assert client.get(f"/policies/{draft.id}").status_code == 200


def test_detail_shows_conditions_as_sentences_and_support(client, auth, create_user, create_policy):
    policy = create_policy(budget_wan=500)
    auth.login(create_user("bank"))
    page = client.get(f"/policies/{policy.id}").get_data(as_text=True)
    assert "上年度营业收入 不低于 2,000 万元" in page
    assert "按上年度研发费用的 10% 给予资助，最高 200 万元" in page
    assert "剩余" not in page  # the budget is for officials
    auth.logout()
    auth.login(create_user("official"))
    page = client.get(f"/policies/{policy.id}").get_data(as_text=True)
    assert "剩余 500.00 万元" in page and "推送漏斗" in page


def test_editing_a_published_policy_creates_a_revision(client, auth, official, create_policy):
    policy = create_policy(title="宝安区研发投入奖励")
    auth.login(official)
    form = client.get(f"/policies/{policy.id}/edit")
    assert form.status_code == 200
    data = _form_data(policy) | {"title": "宝安区研发投入奖励（2026年修订）", "rows-0-value": "3000"}
    response = client.post(f"/policies/{policy.id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    policy = db.session.get(Policy, policy.id)
    assert policy.revision_no == 2 and [r.number for r in policy.revisions] == [1, 2]
    assert policy.revisions[0].content["title"] == "宝安区研发投入奖励"
    assert policy.revisions[1].content["conditions"]["all"][0]["value"] == 3000
    old = client.get(f"/policies/{policy.id}/revisions/1").get_data(as_text=True)
    assert "第 1 版：宝安区研发投入奖励" in old and "不低于 2,000 万元" in old
    assert client.get(f"/policies/{policy.id}/revisions/9").status_code == 404
    # saving without a change makes no revision
    client.post(f"/policies/{policy.id}/edit", data=_form_data(policy))
    db.session.expire_all()
    assert db.session.get(Policy, policy.id).revision_no == 2


def test_editing_a_draft_makes_no_revision(app, official, create_policy):
    draft = create_policy(status="draft")
    content = draft.content() | {"title": "改过的草稿"}
    catalog.save_policy(draft, content, actor=official)
    assert draft.revision_no == 0 and draft.revisions == []


def _form_data(policy: Policy) -> dict:
    """The editor's POST data for a policy as stored (conditions as rows, revenue first)."""
    data = {
        "title": policy.title,
        "issuer": policy.issuer,
        "doc_no": policy.doc_no,
        "region": policy.region,
        "category": policy.category,
        "published_on": policy.published_on.isoformat() if policy.published_on else "",
        "deadline": policy.deadline.isoformat() if policy.deadline else "",
        "text": policy.text,
        "support_kind": policy.support["kind"],
        "support_base": policy.support.get("base", "rd_expense_wan"),
        "support_rate": str(policy.support.get("rate", "")),
        "support_cap": str(policy.support.get("cap_wan", "")),
        "target_industries": " ".join(policy.targets["industries"]),
        "save": "保存",
    }
    if policy.instant:
        data["instant"] = "y"
    rows = sorted(policy.conditions["all"], key=lambda r: r["field"] != "revenue_wan")
    for i, row in enumerate(rows):
        value = row["value"]
        data |= {
            f"rows-{i}-field": row["field"],
            f"rows-{i}-op": row["op"],
            f"rows-{i}-value": "、".join(value) if isinstance(value, list) else str(value),
        }
    return data
