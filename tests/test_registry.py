"""The field registry end to end: places with provenance, region per deployment, figures by year, portal records."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from sqlalchemy import select

from portal import conditions as cond
from portal import reference, services
from portal.extensions import db
from portal.forms import ProfileForm
from portal.models import PROFILE_FIELDS, Enterprise, EnterpriseFigures
from tests.conftest import make_uscc

ON = date(2026, 6, 30)


def _row(**fields):
    return {
        "uscc": make_uscc(),
        "name": "深圳市三地科技有限公司",
        "registered_district": "宝安区",
        "industry_code": "C3976",
    } | fields


def _import(*rows):
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    return services.import_enterprises(lines, source="市场监督管理局", on=ON)


@pytest.fixture
def region():
    """Switch the deployment's region for a test and put Shenzhen back after it."""
    yield reference.use_region
    reference.use_region(reference.DEFAULT_REGION)


# ---------------------------------------------------------------- the registry is the one declaration


def test_record_fields_come_from_the_registry():
    assert tuple(cond.RECORD_FIELDS) == PROFILE_FIELDS
    assert set(services.ROW_PARSERS) == set(cond.RECORD_FIELDS)
    assert {"tax_district", "operating_district"} <= set(PROFILE_FIELDS)
    assert cond.MONEY_FIELDS == ("revenue_wan", "assets_wan", "rd_expense_wan", "tax_paid_wan")
    for name, spec in cond.FIELDS.items():
        assert spec.source in cond.SOURCES, name
        if spec.source in ("derived", "portal"):
            assert spec.derivation, f"{name}: a derived field says how it is computed"


def test_form_bounds_and_labels_follow_the_registry(app):
    with app.test_request_context():
        form = ProfileForm(meta={"csrf": False})
    assert form.tax_paid_wan.label.text == "上年度纳税总额（万元）"
    (bound,) = [v for v in form.employees.validators if hasattr(v, "max")]
    assert bound.max == cond.FIELDS["employees"].bounds[1]
    assert [c for c, _ in form.tax_district.choices][1:] == list(reference.region().districts)


# ---------------------------------------------------------------- places


def test_v1_rows_without_the_new_places_still_load(app):
    report = _import(_row())
    assert report.ok and report.inserted == 1
    firm = db.session.scalars(select(Enterprise)).one()
    assert firm.tax_district is None and "tax_district" not in firm.verified


def test_places_are_imported_verified_and_evaluated(app):
    row = _row(tax_district="宝安区", operating_district="南山区")
    assert _import(row).ok
    firm = db.session.scalars(select(Enterprise)).one()
    assert firm.verified["tax_district"]["source"] == "市场监督管理局"
    three_in_one = {
        "all": [
            {"field": f, "op": "eq", "value": "宝安区"}
            for f in ("registered_district", "tax_district", "operating_district")
        ]
    }
    results = cond.evaluate(three_in_one, firm.profile(ON))
    assert [r.status for r in results] == ["pass", "pass", "fail"]
    assert results[2].sentence == "经营所在区 南山区，不是 宝安区 ✗"


def test_a_district_outside_the_region_is_refused_whole(app):
    report = _import(_row(tax_district="朝阳区"))
    assert (
        report.inserted == 0 and "tax_district（纳税所在区）：不是深圳市的区：'朝阳区'" in report.errors[0][1]
    )


def test_another_region_loads_its_own_places(app, region):
    region("hefei_gaoxin")
    assert cond.validate({"field": "tax_district", "op": "eq", "value": "合肥高新区"}) == []
    assert "未知的区“宝安区”" in cond.validate({"field": "tax_district", "op": "eq", "value": "宝安区"})[0]
    report = _import(_row(registered_district="合肥高新区"), _row(registered_district="宝安区"))
    assert report.inserted == 1 and "不是合肥市的区" in report.errors[0][1]
    with app.test_request_context():
        assert ("合肥高新区", "合肥高新区") in ProfileForm(meta={"csrf": False}).registered_district.choices


def test_region_setting_is_wired_by_the_factory(make_app, region):
    make_app(REGION="hefei_gaoxin")
    assert reference.region().home_district == "合肥高新区"
    with pytest.raises(ValueError, match="没有区域数据文件"):
        make_app(REGION="atlantis")


def test_profile_saves_places_self_declared(client, auth, create_user, create_enterprise):
    firm = create_enterprise(verified=("registered_district",))
    user = create_user("enterprise", enterprise_id=firm.id)
    auth.login(user)
    data = {"name": firm.name, "tax_district": "宝安区", "operating_district": "南山区"}
    assert client.post("/profile", data=data).status_code == 302
    db.session.refresh(firm)
    assert (firm.tax_district, firm.operating_district) == ("宝安区", "南山区")
    assert not firm.is_verified("tax_district") and firm.is_verified("registered_district")
    page = client.get("/profile").get_data(as_text=True)
    assert "纳税所在区" in page and "经营所在区" in page


# ---------------------------------------------------------------- figures by year


def test_year_keyed_figures_import_with_provenance_and_latest_year_as_the_fields(app):
    row = _row(
        version=2,
        figures={"2025": {"revenue_wan": 2400, "tax_paid_wan": 130}, "2024": {"revenue_wan": 1800}},
    )
    assert _import(row).ok
    firm = db.session.scalars(select(Enterprise)).one()
    assert firm.revenue_wan == Decimal("2400.00") and firm.tax_paid_wan == Decimal("130.00")
    years = db.session.scalars(select(EnterpriseFigures).order_by(EnterpriseFigures.year)).all()
    assert [(y.year, y.revenue_wan) for y in years] == [
        (2024, Decimal("1800.00")),
        (2025, Decimal("2400.00")),
    ]
    assert years[0].verified["revenue_wan"]["source"] == "市场监督管理局"
    profile = firm.profile(ON)
    assert profile["revenue_wan_prev"] == Decimal("1800.00")
    assert profile["revenue_growth"] == Fraction(1, 3)  # exact, not a rounded decimal
    first_crossing = {
        "all": [
            {"field": "revenue_wan", "op": "gte", "value": 2000},
            {"field": "revenue_wan_prev", "op": "lt", "value": 2000},
            {"field": "revenue_growth", "op": "gte", "value": 0.2},
        ]
    }
    results = cond.evaluate(first_crossing, profile)
    assert [r.status for r in results] == ["pass", "pass", "pass"]
    assert results[2].sentence == "营业收入增长率 33.33%，不低于 20% ✓"
    assert cond.evaluate(first_crossing, firm.profile(ON))[1].sentence.startswith(
        "前一年度营业收入 1,800 万元"
    )
    # a second import of one year replaces that year only
    assert _import({"uscc": row["uscc"], "figures": {"2024": {"revenue_wan": 2100}}}).ok
    db.session.expire_all()
    assert firm.profile(ON)["revenue_wan_prev"] == Decimal("2100.00")
    assert firm.revenue_wan == Decimal("2400.00")


def test_growth_is_unknown_without_the_previous_year(app):
    assert _import(_row(figures={"2025": {"revenue_wan": 2400}})).ok
    firm = db.session.scalars(select(Enterprise)).one()
    (result,) = cond.evaluate({"field": "revenue_growth", "op": "gte", "value": 0.2}, firm.profile(ON))
    assert result.status == "unknown" and "前一年度营业收入" in result.sentence


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ({"25": {"revenue_wan": 1}}, "年份 '25' 应为 1949"),
        ({"2025": {"profit_wan": 1}}, "2025 年未知字段：profit_wan"),
        ({"2025": {"revenue_wan": -1}}, "2025 年 revenue_wan：应为 0 到 1 亿"),
        ([], "应为按年份的对象"),
    ],
)
def test_bad_figures_are_refused_with_nothing_written(app, figures, message):
    report = _import(_row(figures=figures))
    assert report.inserted == 0 and message in report.errors[0][1]
    assert db.session.scalars(select(EnterpriseFigures)).all() == []


# ---------------------------------------------------------------- the portal's own records


OWN_GROUP_RULE = {
    "all": [
        {"field": "registered_district", "op": "eq", "value": "宝安区"},
        {"field": "approved_groups", "op": "not_contains_any", "value": ["@own"], "within_years": 3},
    ]
}


def _approve(enterprise, policy, decided):
    from portal.approvals.models import Application

    revision = policy.revisions[-1]
    application = Application(
        enterprise_id=enterprise.id, policy_id=policy.id, revision_id=revision.id, status="submitted"
    )
    application.status, application.decided_at = "approved", decided  # through the transition table
    db.session.add(application)
    db.session.commit()


def _policy(make_policy, **fields):
    content = {
        "title": fields.pop("title", "研发费用补贴"),
        "category": "研发资助",
        "published_on": date(2026, 1, 1),
        "conditions": OWN_GROUP_RULE,
        "support": {"kind": "fixed", "amount_wan": 10},
        "instant": True,
    }
    return make_policy(content | fields)


def test_own_group_needs_a_group(make_policy):
    with pytest.raises(services.ServiceError, match="请填写政策的支持类别 group"):
        _policy(make_policy)


def test_not_approved_in_the_own_group_within_three_years(app, make_policy, create_enterprise):
    from portal.approvals import rules

    earlier = _policy(make_policy, title="2024年研发费用补贴", group="研发费用补贴")
    other = _policy(make_policy, title="人才奖励", group="人才奖励")
    current = _policy(make_policy, title="2026年研发费用补贴", group="研发费用补贴")
    fresh, repeat, long_ago = (create_enterprise() for _ in range(3))
    _approve(repeat, earlier, datetime(2025, 3, 1, 2, tzinfo=UTC))
    _approve(fresh, other, datetime(2025, 3, 1, 2, tzinfo=UTC))
    _approve(long_ago, earlier, datetime(2022, 3, 1, 2, tzinfo=UTC))
    db.session.expire_all()
    assert repeat.approved_groups() == {"研发费用补贴": [date(2025, 3, 1)]}
    outcomes = {}
    for firm in (fresh, repeat, long_ago):
        decision = rules.decide(current.criteria, current.support, firm.profile(ON), firm.is_verified)
        outcomes[firm.id] = (decision.outcome, decision.results[1].sentence)
    assert outcomes[fresh.id] == ("approve", "近3年未获得过「研发费用补贴」类支持 ✓")
    assert outcomes[repeat.id] == ("reject", "近3年已获得过「研发费用补贴」类支持，不得重复享受 ✗")
    assert outcomes[long_ago.id][0] == "approve"
    # unbound (a caller that forgot the group) never passes silently
    (_, unbound) = cond.evaluate(OWN_GROUP_RULE, fresh.profile(ON))
    assert unbound.status == "unknown"


def test_instant_application_refuses_a_repeat_in_the_group(app, make_policy, create_enterprise, create_user):
    from portal.approvals import services as approvals

    earlier = _policy(make_policy, title="2024年研发费用补贴", group="研发费用补贴")
    current = _policy(make_policy, title="2026年研发费用补贴", group="研发费用补贴")
    firm = create_enterprise()
    user = create_user("enterprise", enterprise_id=firm.id)
    _approve(firm, earlier, datetime(2025, 3, 1, 2, tzinfo=UTC))
    application, _ = approvals.apply_instant(firm, current, actor=user, on=ON)
    assert application.status == "rejected"
    engine = application.records[-1]
    assert engine.results[1]["sentence"] == "近3年已获得过「研发费用补贴」类支持，不得重复享受 ✗"
    assert engine.profile_snapshot["values"]["approved_groups"]["研发费用补贴"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"field": "approved_groups", "op": "contains_all", "value": ["x"]}, "不支持运算 contains_all"),
        (
            {"field": "approved_groups", "op": "contains_any", "value": ["x"], "within_years": 0},
            "within_years 0",
        ),
        ({"field": "revenue_wan", "op": "gte", "value": 1, "within_years": 3}, "不能带 within_years"),
        ({"field": "revenue_growth", "op": "gte", "value": 101}, "比重 101 应写成 -1 到 100"),
    ],
)
def test_row_validation_of_the_new_fields(row, message):
    assert any(message in p for p in cond.validate(row)), cond.validate(row)


def test_profile_page_shows_figures_by_year_with_provenance(client, auth, create_user, create_enterprise):
    firm = create_enterprise()
    assert _import(
        {"uscc": firm.uscc, "figures": {"2025": {"revenue_wan": 6000}, "2024": {"revenue_wan": 5000}}}
    ).ok
    db.session.commit()
    auth.login(create_user("enterprise", enterprise_id=firm.id))
    page = client.get("/profile").get_data(as_text=True)
    assert "历年经营数据" in page and "6,000.00" in page and "5,000.00" in page
    assert "已核验 · 市场监督管理局 · 2026-06-30" in page and "营业收入增长率 20.00%" in page
