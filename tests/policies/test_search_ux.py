"""Issue 9 bug 5: search keeps its distinctive words, ranks by the whole query and shows what was searched
(over the 44 demo policies)."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.jsonl import read_jsonl
from portal.policies import catalog
from portal.policies.demo import demo_policies_path
from portal.policies.models import PolicyStatus


@pytest.fixture
def demo_catalog(app, official):
    """The demo policies, all published; returns how many."""
    count = 0
    for _, raw in read_jsonl(demo_policies_path()):
        raw.pop("status", None)
        code, content = catalog.parse_policy_row(raw)
        policy, _ = catalog.save_policy(None, content | {"code": code}, actor=official)
        policy.status = PolicyStatus.PUBLISHED
        count += 1
    db.session.commit()
    return count


def test_new_business_query_keeps_its_distinctive_word(demo_catalog, create_user, on):
    result = catalog.search_policies(create_user("enterprise"), on=on, query="新办企业")
    assert result.words == ["新办", "企业"]  # before: ["企业"], and all 44 policies
    assert 0 < result.total < demo_catalog
    assert result.items[0].title == "宝安区新办企业开办服务包（秒批）"


def test_phrase_no_policy_holds_whole_falls_back_to_best_partial(demo_catalog, create_user, on):
    result = catalog.search_policies(create_user("enterprise"), on=on, query="高新技术企业认定")
    assert result.total > 0 and result.partial  # before: nothing
    assert result.items[0].title == "宝安区高新技术企业人才住房补贴"  # 高新技术企业 in the title ranks first


def test_the_page_shows_what_was_searched(client, auth, create_user, demo_catalog):
    auth.login(create_user("enterprise"))
    page = client.get("/policies/?q=新办企业").text
    assert "检索“新办企业”" in page and "检索词：新办、企业" in page
    first = page.split('class="list-group-item list-group-item-action"')[1]
    assert "宝安区新办企业开办服务包" in first
    page = client.get("/policies/?q=高新技术企业认定").text
    assert 'id="search-partial"' in page and "没有同时包含全部检索词的政策" in page
