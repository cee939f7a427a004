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
