"""Reference data: industries, 300号 size classes, years since founding, USCC check characters."""

import csv
import json
from datetime import date
from decimal import Decimal
from fractions import Fraction
from importlib import resources

import pytest

from portal import reference as ref
from tests.shared_bench import DEV, needs_dev_set


def test_industry_tree_counts_and_chain():
    levels = [i.level for i in ref._industries().values()]
    assert [levels.count(n) for n in (1, 2, 3, 4)] == [20, 97, 473, 1381]
    assert [i.code for i in ref.industry_chain("C3841")] == ["C", "C38", "C384", "C3841"]
    assert ref.industry("C38").name == "电气机械和器材制造业"
    assert ref.industry_chain("X1") == []


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("C3841", True),
        ("I6513", True),
        ("C3741", True),
        ("3841", False),
        ("A3841", False),
        ("C384", False),
        ("", False),
    ],
)
def test_is_industry_class(code, ok):
    assert ref.is_industry_class(code) is ok


def test_every_class_has_a_full_chain():
    assert all(len(ref.industry_chain(c.code)) == 4 for c in ref.industry_classes())


def test_streets_data_matches_constant():
    text = resources.files("portal").joinpath("data", "streets.csv").read_text(encoding="utf-8")
    assert tuple(r["name"] for r in csv.DictReader(text.splitlines())) == ref.STREETS


@pytest.mark.parametrize(
    ("code", "sector"),
    [
        ("C3841", "工业"),
        ("B0610", "工业"),
        ("D4411", "工业"),
        ("E4710", "建筑业"),
        ("F5174", "批发业"),
        ("F5292", "零售业"),
        ("G5431", "交通运输业"),
        ("G5821", "交通运输业"),
        ("G5990", "仓储业"),
        ("G6010", "邮政业"),
        ("H6110", "住宿业"),
        ("H6210", "餐饮业"),
        ("I6311", "信息传输业"),
        ("I6450", "信息传输业"),
        ("I6513", "软件和信息技术服务业"),
        ("K7010", "房地产开发经营"),
        ("K7020", "物业管理"),
        ("K7040", "其他未列明行业"),
        ("L7281", "租赁和商务服务业"),
        ("M7320", "其他未列明行业"),
        ("A0111", "农林牧渔业"),
        ("J6611", None),
        ("S9421", None),
        ("T9700", None),
        ("3841", None),
    ],
)
def test_sme_industry(code, sector):
    assert ref.sme_industry(code) == sector


@pytest.mark.parametrize(
    ("code", "employees", "revenue", "assets", "size"),
    [
        # 工业: employees 1000 / revenue 40000 upper; 300/2000 medium; 20/300 small
        ("C3841", 1000, 40000, None, "大型"),
        ("C3841", 999, 40000, None, "中型"),
        ("C3841", 1000, Decimal("39999.99"), None, "中型"),
        ("C3841", 300, 2000, None, "中型"),
        ("C3841", 299, 2000, None, "小型"),
        ("C3841", 300, Decimal("1999.9"), None, "小型"),
        ("C3841", 20, 300, None, "小型"),
        ("C3841", 19, 300, None, "微型"),
        ("C3841", 20, Fraction(2999, 10), None, "微型"),
        # 信息传输业 2000/100000, 100/1000, 10/100
        ("I6450", 2000, 100000, None, "大型"),
        ("I6450", 100, 1000, None, "中型"),
        ("I6450", 10, 100, None, "小型"),
        ("I6450", 9, 100, None, "微型"),
        # 软件 300/10000, 100/1000, 10/50
        ("I6513", 300, 10000, None, "大型"),
        ("I6513", 100, 1000, None, "中型"),
        ("I6513", 10, 50, None, "小型"),
        ("I6513", 10, 49, None, "微型"),
        # 批发 200/40000, 20/5000, 5/1000
        ("F5174", 200, 40000, None, "大型"),
        ("F5174", 20, 5000, None, "中型"),
        ("F5174", 5, 1000, None, "小型"),
        ("F5174", 4, 1000, None, "微型"),
        # 零售 300/20000, 50/500, 10/100
        ("F5292", 300, 20000, None, "大型"),
        ("F5292", 50, 500, None, "中型"),
        ("F5292", 10, 100, None, "小型"),
        ("F5292", 10, 99, None, "微型"),
        # 其他未列明: employees only, revenue and assets may be missing
        ("M7320", 300, None, None, "大型"),
        ("M7320", 100, None, None, "中型"),
        ("M7320", 10, None, None, "小型"),
        ("M7320", 9, None, None, "微型"),
        # 建筑业: revenue 80000 / assets 80000, 6000/5000, 300/300; employees do not count
        ("E4710", None, 80000, 80000, "大型"),
        ("E4710", None, 80000, 79999, "中型"),
        ("E4710", None, 6000, 5000, "中型"),
        ("E4710", None, 300, 300, "小型"),
        ("E4710", None, 300, 299, "微型"),
        # excluded and missing
        ("J6611", 5000, 900000, 900000, None),
        ("C3841", None, 40000, None, None),
        ("E4710", 10, 300, None, None),
        ("C9999", 10, 300, None, None),
    ],
)
def test_size_class_boundaries(code, employees, revenue, assets, size):
    assert ref.size_class(code, employees, revenue, assets) == size


def test_size_class_floats_mean_their_decimal():
    assert ref.size_class("C3841", 20, 300.0, None) == "小型"
    assert ref.size_class("C3841", 20, 299.99999999999997, None) == "微型"  # a hair below is below


@pytest.mark.parametrize(
    ("founded", "years"),
    [
        (date(2023, 6, 30), Fraction(3)),
        (date(2023, 7, 1), 2 + Fraction(364, 365)),
        (date(2023, 6, 29), 3 + Fraction(1, 365)),
        (date(2024, 2, 29), 2 + Fraction(122, 365)),
        (date(2026, 6, 30), Fraction(0)),
        (date(2025, 6, 30), Fraction(1)),
    ],
)
def test_years_since(founded, years):
    assert ref.years_since(founded, date(2026, 6, 30)) == years


def test_years_since_29_february_anniversaries():
    # anniversary falls on 28 Feb in common years, on 29 Feb in leap years
    assert ref.years_since(date(2024, 2, 29), date(2025, 2, 28)) == 1
    assert ref.years_since(date(2024, 2, 29), date(2025, 2, 27)) == Fraction(364, 365)
    assert ref.years_since(date(2024, 2, 29), date(2028, 2, 29)) == 4
    assert ref.years_since(date(2024, 2, 29), date(2028, 2, 28)) == 3 + Fraction(365, 366)


def test_years_since_future_raises():
    with pytest.raises(ValueError):
        ref.years_since(date(2026, 7, 1), date(2026, 6, 30))


@needs_dev_set
def test_every_dev_uscc_is_valid():
    with open(DEV / "enterprises.jsonl", encoding="utf-8") as fh:
        codes = [json.loads(line)["uscc"] for line in fh]
    assert len(codes) == 3000
    assert [c for c in codes if ref.uscc_problem(c)] == []


@pytest.mark.parametrize(
    ("code", "needle"),
    [
        ("91440306MA52E87W2", "应为18位，实际为17位"),
        ("91440306MA52E87W2DX", "实际为19位"),
        ("91440306MA52E87I2D", "第16位字符“I”不合法"),
        ("91440306ma52E87W2D", "第9位字符“m”不合法"),
        ("91440306MA52E87W3D", "第17位（组织机构代码校验码）错误：应为“2”"),
        ("91440306MA52E87W2E", "第18位校验码错误：应为“D”，实际为“E”"),
        (None, "应为文本"),
    ],
)
def test_uscc_problem(code, needle):
    assert needle in ref.uscc_problem(code)


def test_make_uscc_is_valid_and_deterministic():
    codes = {ref.make_uscc(ref.DISTRICT_CODES["宝安区"], n) for n in range(2000)}
    assert len(codes) == 2000
    assert all(ref.uscc_problem(c) is None and c[2:8] == "440306" for c in codes)
    assert ref.make_uscc("440306", 7) == ref.make_uscc("440306", 7)
    assert ref.uscc_with_check("91440306MA52E87W") == "91440306MA52E87W2D"
    with pytest.raises(ValueError):
        ref.make_uscc("4403", 1)


def test_vocabularies():
    assert len(ref.QUALIFICATIONS) == 12 and ref.QUALIFICATIONS[4] == '专精特新"小巨人"企业'
    assert len(ref.POLICY_CATEGORIES) == 14 and len(ref.STREETS) == 10 and len(ref.DISTRICTS) == 10
    assert set(ref.DISTRICT_CODES) == set(ref.DISTRICTS)
