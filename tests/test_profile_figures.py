"""Figures by year on the profile: an enterprise declares a year's figures; verified years stay locked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from portal import services
from portal.extensions import db
from portal.models import EnterpriseFigures
from portal.timeutil import today

ON = date(2026, 12, 2)
STAMP = {"source": "市统计局", "date": "2026-03-31"}


def _firm_with_verified_2024(create_enterprise):
    firm = create_enterprise(revenue_wan=Decimal("5000.00"), founded=date(2015, 1, 1))
    firm.figures.append(
        EnterpriseFigures(
            year=2024, revenue_wan=Decimal("5000.00"), employees=100, verified={"revenue_wan": STAMP}
        )
    )
    db.session.commit()
    return firm


def test_a_declared_later_year_becomes_the_profile_and_gives_growth(create_enterprise):
    firm = _firm_with_verified_2024(create_enterprise)
    changed = services.declare_figures(firm, 2025, {"revenue_wan": Decimal("6500"), "employees": 120}, on=ON)
    db.session.commit()
    assert sorted(changed) == ["employees", "revenue_wan"]
    row = next(f for f in firm.figures if f.year == 2025)
    assert (row.revenue_wan, row.employees, row.verified) == (Decimal("6500.00"), 120, {})
    # the latest year is the profile's single field, now self-declared (the verified mark was 2024's)
    assert firm.revenue_wan == Decimal("6500.00") and "revenue_wan" not in firm.verified
    profile = firm.profile(ON)
    assert profile["revenue_growth"] == pytest.approx(0.3) and profile["revenue_wan_prev"] == Decimal(
        "5000.00"
    )


def test_a_verified_figure_cannot_be_overwritten_and_nothing_changes(create_enterprise):
    firm = _firm_with_verified_2024(create_enterprise)
    with pytest.raises(services.ServiceError, match="2024 年的营业收入为已核验的政府数据"):
        services.declare_figures(firm, 2024, {"revenue_wan": Decimal("9999"), "employees": 101}, on=ON)
    db.session.rollback()
    row = db.session.get(EnterpriseFigures, firm.figures[0].id)
    assert (row.revenue_wan, row.employees) == (Decimal("5000.00"), 100)
    # the same verified value with a self-declared one beside it is fine
    services.declare_figures(firm, 2024, {"revenue_wan": Decimal("5000"), "employees": 101}, on=ON)
    assert row.employees == 101 and row.verified == {"revenue_wan": STAMP}


@pytest.mark.parametrize("year", [2026, 2014, 1990, 0])
def test_only_ended_years_since_founding_can_be_declared(create_enterprise, year):
    firm = _firm_with_verified_2024(create_enterprise)
    with pytest.raises(services.ServiceError, match="年度应为 2016–2025 年"):
        services.declare_figures(firm, year, {"employees": 5}, on=ON)


def test_an_empty_new_year_is_refused_and_clearing_a_year_removes_it(create_enterprise):
    firm = _firm_with_verified_2024(create_enterprise)
    with pytest.raises(services.ServiceError, match="请至少填写 2023 年的一项经营数据"):
        services.declare_figures(firm, 2023, {"revenue_wan": None}, on=ON)
    services.declare_figures(firm, 2023, {"employees": 90}, on=ON)
    services.declare_figures(firm, 2023, {"employees": None}, on=ON)
    db.session.commit()
    assert [f.year for f in firm.figures] == [2024]


def test_the_profile_page_declares_a_year_through_the_form(client, auth, create_user, create_enterprise):
    firm = create_enterprise(verified=(), founded=date(2015, 1, 1))
    auth.login(create_user("enterprise", enterprise_id=firm.id))
    last = today().year - 1
    page = client.get("/profile").get_data(as_text=True)
    assert "按年度申报" in page and f"保存 {last} 年数据" in page
    response = client.post(
        "/profile/figures",
        data={
            "figures-year": str(last),
            "figures-revenue_wan": "8000",
            "figures-tax_paid_wan": "",
            "figures-employees": "150",
        },
    )
    assert response.status_code == 302 and response.location.endswith(f"/profile?year={last}#figures")
    db.session.refresh(firm)
    assert [(f.year, f.revenue_wan, f.employees) for f in firm.figures] == [(last, Decimal("8000.00"), 150)]
    page = client.get(f"/profile?year={last}").get_data(as_text=True)
    assert "8,000.00" in page and "自主申报" in page


def test_bad_figures_come_back_beside_their_field(client, auth, create_user, create_enterprise):
    firm = create_enterprise(verified=(), founded=date(2015, 1, 1))
    auth.login(create_user("enterprise", enterprise_id=firm.id))
    response = client.post(
        "/profile/figures", data={"figures-year": str(today().year - 1), "figures-employees": "-3"}
    )
    assert response.status_code == 400
    assert "应为非负整数" in response.get_data(as_text=True)
    response = client.post("/profile/figures", data={"figures-year": "1999", "figures-employees": "3"})
    assert response.status_code == 400 and "年度应为" in response.get_data(as_text=True)
    db.session.refresh(firm)
    assert firm.figures == []


def test_only_the_enterprise_declares_its_figures(client, auth, create_user):
    for role in ("official", "bank", "admin"):
        auth.login(create_user(role))
        assert (
            client.post(
                "/profile/figures", data={"figures-year": "2025", "figures-employees": "1"}
            ).status_code
            == 403
        )
        auth.logout()
