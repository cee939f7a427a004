"""Failure classes found by the fifth blind set (reader_real6), each in several phrasings of our own."""

import pytest

from portal.policies.text_conditions import read_policy


def _rows(tree: dict) -> list[dict]:
    """The leaf rows of a proposed tree, flattened."""
    out = []
    for node in tree.get("all", []):
        if "field" in node:
            out.append(node)
        else:
            for key in ("all", "any"):
                for sub in node.get(key, []):
                    out += _rows({"all": [sub]}) if "field" not in sub else [sub]
    return out


def _quals(text: str) -> list[dict]:
    """The qualification rows read from a passage."""
    return [r for r in _rows(read_policy(text, "测试").tree) if r["field"] == "qualifications"]


@pytest.mark.parametrize(
    "text,title",
    [
        ("在宝安区注册的总部企业可申报。其母公司为上市公司的，由母公司统一申报。", "上市公司"),
        ("申报主体须在坪山区注册；控股股东为国家高新技术企业的，可优先推荐。", "国家高新技术企业"),
        ("在福田区注册的众创空间运营机构，在孵企业中专精特新中小企业不少于5家。", "专精特新中小企业"),
        ("孵化器运营机构须在南山区注册，入驻企业中国家高新技术企业8家以上。", "国家高新技术企业"),
    ],
)
def test_title_of_another_firm_is_not_required(text: str, title: str) -> None:
    """A title held by a parent, shareholder or counted tenant is no requirement on the applicant."""
    for row in _quals(text):
        assert not any(title in v for v in row["value"]) or row["op"] == "not_contains_any"


@pytest.mark.parametrize(
    "text",
    [
        "在福田区注册的孵化器运营机构，申报时在孵企业中国家高新技术企业不少于10家。",
        "众创空间运营机构须在龙岗区注册，入驻企业中专精特新中小企业5家以上。",
    ],
)
def test_count_of_other_firms_is_reported_unread(text: str) -> None:
    """A count of other firms holding a title cannot be said; the reader reports it."""
    assert read_policy(text, "测试").unread


@pytest.mark.parametrize(
    "text,names",
    [
        ("对注册在龙华区的规上工业瞪羚企业，奖励30万元。", ["规模以上工业企业", "瞪羚企业"]),
        (
            "在光明区注册的规模以上工业企业瞪羚企业，营业收入增长20%以上的，奖励10万元。",
            ["规模以上工业企业", "瞪羚企业"],
        ),
    ],
)
def test_run_together_names_are_both_required(text: str, names: list[str]) -> None:
    """Two names run together ("规上工业瞪羚企业") describe one firm holding both."""
    rows = _quals(text)
    for name in names:
        assert any(r["op"] in ("contains_any", "contains_all") and r["value"] == [name] for r in rows) or any(
            r["op"] == "contains_all" and name in r["value"] for r in rows
        )
    assert not any(r["op"] == "contains_any" and len(r["value"]) > 1 for r in rows)


def _any_groups(tree: dict) -> list[list[dict]]:
    """The any groups directly under the tree's all."""
    return [node["any"] for node in tree.get("all", []) if "any" in node]


@pytest.mark.parametrize(
    "text,branches",
    [
        (
            "对注册在南山区的集成电路设计（I6520）或集成电路制造（C3973）企业，上年度营业收入不低于3000万元或研发费用"
            "不低于500万元的，给予一次性奖励50万元。",
            [("revenue_wan", 3000), ("rd_expense_wan", 500)],
        ),
        (
            "在宝安区注册，从事软件（I65）或互联网服务（I64），且从业人员50人以上或上年度营业收入5000万元以上的企业，"
            "可申请本奖励。",
            [("employees", 50), ("revenue_wan", 5000)],
        ),
        (
            "申报条件：（一）在龙岗区注册的医药或医疗器械企业；（二）上年度纳税额不低于200万元或营业收入不低于1亿元。",
            [("tax_paid_wan", 200), ("revenue_wan", 10000)],
        ),
    ],
)
def test_or_between_thresholds_after_an_or_between_names(text: str, branches: list) -> None:
    """A 或 joining names before the first threshold does not stop the thresholds' 或 from being alternatives."""
    tree = read_policy(text, "测试").tree
    groups = _any_groups(tree)
    assert len(groups) == 1
    assert sorted((r["field"], r["value"]) for r in groups[0]) == sorted(branches)
    assert not any(r.get("field") in {f for f, _ in branches} for r in tree["all"])


@pytest.mark.parametrize(
    "text,kinds",
    [
        (
            "申报条件：（一）注册地或实际经营地在龙华区；（二）获评国家高新技术企业。奖励15万元。",
            {"registered_district", "operating_district"},
        ),
        (
            "申报条件：（一）注册地或纳税地在宝安区；（二）上年度营业收入不低于1000万元。",
            {"registered_district", "tax_district"},
        ),
        (
            "申报条件：（一）实际经营地或注册地在南山区；（二）上年度营业收入不低于1000万元。",
            {"registered_district", "operating_district"},
        ),
    ],
)
def test_place_kinds_sharing_one_place_are_alternatives(text: str, kinds: set) -> None:
    """ "注册地或经营地在X": either kind of place in X is enough."""
    groups = _any_groups(read_policy(text, "测试").tree)
    assert len(groups) == 1
    assert {r["field"] for r in groups[0]} == kinds
