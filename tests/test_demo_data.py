"""Tests for portal.demo_data: determinism, validity and the benchmark's generation facts."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from portal import demo_data, reference

BENCHMARK_CLASSES = {
    "C3982", "C3976", "C3974", "C3981", "C3922", "C3921", "C3990", "C3841", "C3824", "C3831",
    "C3852", "C3670", "C3612", "C3491", "C3562", "C3425", "C3581", "C2720", "C2929", "C3360",
    "C3399", "C1830", "C2110", "C2438", "I6513", "I6520", "I6450", "I6560", "I6440", "F5174",
    "F5292", "G5431", "G5821", "G5990", "M7320", "M7491", "M7520", "L7281", "H6210", "E4710",
}  # fmt: skip
MONEY = ("revenue_wan", "assets_wan", "rd_expense_wan", "tax_paid_wan")
FIELDS = {
    "uscc", "name", "registered_district", "street", "industry_code", "founded", "employees",
    "revenue_wan", "assets_wan", "rd_expense_wan", "tax_paid_wan", "qualifications", "credit_ok",
    "business_scope", "description",
}  # fmt: skip
SME_TITLES = {"科技型中小企业", "创新型中小企业", "专精特新中小企业", '专精特新"小巨人"企业'}


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return demo_data.enterprise_records()


def exact(x: float) -> Fraction:
    return Fraction(repr(x))


def size(r: dict) -> str | None:
    return reference.size_class(r["industry_code"], r["employees"], r["revenue_wan"], r["assets_wan"])


def test_deterministic_and_count(records):
    assert len(records) == 240
    assert demo_data.enterprise_records() == records
    assert demo_data.enterprise_records(count=240, seed=2026) == records
    assert demo_data.enterprise_records(count=10, seed=7) == demo_data.enterprise_records(count=10, seed=7)
    assert demo_data.enterprise_records(count=10, seed=7) != records[:10]
    assert len(demo_data.enterprise_records(count=5)) == 5
    assert demo_data.enterprise_records(count=0) == []


def test_record_shape(records):
    for r in records:
        assert set(r) == FIELDS
        assert isinstance(r["employees"], int) and r["employees"] > 0
        assert isinstance(r["credit_ok"], bool)
        assert all(isinstance(r[f], float) for f in MONEY)
        date.fromisoformat(r["founded"])


def test_unique_and_valid_uscc(records):
    codes = [r["uscc"] for r in records]
    assert len(set(codes)) == len(codes)
    for r in records:
        assert reference.uscc_problem(r["uscc"]) is None, r["uscc"]
        assert r["uscc"][:2] == "91"
        assert r["uscc"][2:8] == reference.DISTRICT_CODES[r["registered_district"]]
    assert sum(r["uscc"].startswith("91440306") for r in records) > 150


def test_unique_names(records):
    names = [r["name"] for r in records]
    assert len(set(names)) == len(names)
    for name in names:
        assert name.startswith("深圳市") and name.endswith("有限公司")


def test_industry_codes(records):
    codes = Counter(r["industry_code"] for r in records)
    assert set(codes) <= BENCHMARK_CLASSES
    assert all(reference.is_industry_class(c) for c in codes)
    assert len(codes) >= 25
    assert sum(n for c, n in codes.items() if c.startswith("C")) > len(records) / 2
    for p in demo_data.INDUSTRIES:
        assert p["code"] in BENCHMARK_CLASSES


def test_districts_and_streets(records):
    districts = Counter(r["registered_district"] for r in records)
    assert 0.78 <= districts["宝安区"] / len(records) <= 0.92
    assert set(districts) <= {"宝安区", "南山区", "龙华区", "福田区", "龙岗区", "光明区", "罗湖区"}
    for r in records:
        if r["registered_district"] == "宝安区":
            assert r["street"] in reference.STREETS
        else:
            assert r["street"] in demo_data.OTHER_DISTRICTS[r["registered_district"]]
    assert {r["street"] for r in records} >= set(reference.STREETS)
    small = demo_data.enterprise_records(count=12, seed=1)
    baoan = [r for r in small if r["registered_district"] == "宝安区"]
    assert len({r["street"] for r in baoan}) == min(10, len(baoan))


def test_founded(records):
    days = [date.fromisoformat(r["founded"]) for r in records]
    assert all(date(1995, 1, 1) <= d <= date(2025, 12, 31) for d in days)
    assert any(d.month == 2 and d.day == 29 for d in days)


def test_money(records):
    for r in records:
        for field in MONEY:
            value = r[field]
            assert value >= 0, (r["name"], field)
            assert Decimal(repr(value)).as_tuple().exponent >= -2, (r["name"], field, value)
        assert r["rd_expense_wan"] <= r["revenue_wan"]
        assert r["tax_paid_wan"] <= r["revenue_wan"]


def test_size_mix(records):
    sizes = Counter(size(r) for r in records)
    assert set(sizes) == {"微型", "小型", "中型", "大型"}
    n = len(records)
    assert 0.4 <= sizes["微型"] / n <= 0.6
    assert 0.25 <= sizes["小型"] / n <= 0.45
    assert 0.06 <= sizes["中型"] / n <= 0.18
    assert sizes["大型"] / n <= 0.07


def test_generation_facts(records):
    as_of = date(2026, 6, 30)
    for r in records:
        quals = r["qualifications"]
        code, revenue = r["industry_code"], exact(r["revenue_wan"])
        ratio = demo_data.rd_ratio(r)
        assert len(set(quals)) == len(quals) and set(quals) <= set(reference.QUALIFICATIONS)
        assert ("规模以上工业企业" in quals) == (code.startswith("C") and revenue >= 2000)
        limit = (code.startswith("F51") and revenue >= 2000) or (code.startswith("F52") and revenue >= 500)
        assert ("限额以上批发零售企业" in quals) == limit
        if "国家高新技术企业" in quals:
            assert ratio >= Fraction(3, 100)
            assert reference.years_since(date.fromisoformat(r["founded"]), as_of) >= 1
        if size(r) == "大型":
            assert not SME_TITLES & set(quals)
        if '专精特新"小巨人"企业' in quals:
            assert "专精特新中小企业" in quals
        if "专精特新中小企业" in quals:
            assert "创新型中小企业" in quals
        if "制造业单项冠军企业" in quals or "绿色工厂" in quals:
            assert code.startswith("C")
        if "上市企业" in quals:
            assert r["name"].endswith("股份有限公司")


def test_qualification_variety(records):
    held = Counter(q for r in records for q in r["qualifications"])
    for q in (
        "国家高新技术企业",
        "专精特新中小企业",
        '专精特新"小巨人"企业',
        "规模以上工业企业",
        "限额以上批发零售企业",
    ):
        assert held[q] > 0, q
    credit = sum(r["credit_ok"] for r in records) / len(records)
    assert 0.9 <= credit < 1


def test_texts(records):
    for r in records:
        scope = r["business_scope"]
        assert 60 <= len(scope) <= 200, scope
        assert scope.startswith("一般经营项目是：") and "；许可经营项目是：" in scope
        general = scope.removeprefix("一般经营项目是：").split("；许可经营项目是：")[0].split("；")
        assert len(general) == len(set(general)), scope
        assert 30 <= len(r["description"]) <= 120, r["description"]
    assert len({r["description"] for r in records}) > 0.95 * len(records)
    assert len({r["business_scope"] for r in records}) > 0.95 * len(records)


def test_banks_and_parks():
    assert demo_data.DEMO_SOURCE == "宝安区政务数据共享平台（演示数据）"
    banks = demo_data.bank_records()
    assert len(banks) == 3 and len({b["name"] for b in banks}) == 3
    assert all(b["name"] and b["short_name"] for b in banks)
    parks = demo_data.park_records()
    assert len(parks) == 3 and len({p["name"] for p in parks}) == 3
    for park in parks:
        assert set(park) == {"name", "description", "industry_prefixes", "qualifications"}
        assert park["industry_prefixes"] or park["qualifications"]
        assert all(p in reference.industry_prefixes() for p in park["industry_prefixes"])
        assert set(park["qualifications"]) <= set(reference.QUALIFICATIONS)
    parks[0]["industry_prefixes"].append("X")
    assert "X" not in demo_data.park_records()[0]["industry_prefixes"]
