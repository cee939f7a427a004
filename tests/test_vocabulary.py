"""The open vocabulary of qualifications and tags: admin-managed, aliases on import, validity on the evaluation day."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from portal import conditions as cond
from portal import reference
from portal import services as portal_services
from portal.extensions import db
from portal.models import Enterprise, Role
from portal.services import ServiceError
from portal.vocabulary import services, terms
from portal.vocabulary.models import QualificationTerm

NEW_TAGS = ("四上企业", "规模以上服务业", "限额以上住宿餐饮", "有资质建筑业", "瞪羚企业", "独角兽企业", "隐形冠军",
            "新三板挂牌", "孵化器", "众创空间")  # fmt: skip
GAZELLE = {"all": [{"field": "qualifications", "op": "contains_any", "value": ["瞪羚企业"]}]}


@pytest.fixture(autouse=True)
def seed_vocabulary():
    """Each test starts and ends on the seed vocabulary (the table is emptied between tests)."""
    reference.use_vocabulary(None)
    yield
    reference.use_vocabulary(None)


def test_the_seed_is_the_twelve_plus_the_common_tags():
    names = reference.qualification_names()
    assert names[:12] == reference.QUALIFICATIONS and names[12:] == NEW_TAGS
    assert reference.canonical_qualification("国高") == "国家高新技术企业"
    assert reference.canonical_qualification("瞪羚") == "瞪羚企业"
    assert reference.canonical_qualification("不存在的资质") is None


def test_holdings_map_aliases_and_work_out_the_last_day():
    got = terms.holdings(
        ["国高", "瞪羚", "上市企业"], {"国家高新技术企业": "2023-12-15"}, {"瞪羚": "2026-01-01"}
    )
    assert got["qualifications"] == ["国家高新技术企业", "上市企业", "瞪羚企业"]
    # 36 months from 2023-12-15; an explicit end date wins; 上市企业 has no validity limit
    assert got["qualification_until"] == {
        "国家高新技术企业": date(2026, 12, 14),
        "瞪羚企业": date(2026, 1, 1),
    }
    with pytest.raises(ValueError, match="未知资质（不在资质与标签词表中）：火星企业"):
        terms.holdings(["火星企业"], {}, {})


def test_a_lapsed_holding_does_not_count_on_the_evaluation_day():
    record = {"qualifications": ["瞪羚企业"], "qualification_until": {"瞪羚企业": "2026-01-01"}}
    assert cond.verdict(cond.evaluate(GAZELLE, cond.derive(record, date(2026, 1, 1)))) == cond.PASS
    (result,) = cond.evaluate(GAZELLE, cond.derive(record, date(2026, 1, 2)))
    assert result.status == cond.FAIL
    assert result.sentence == "资质：未持有 瞪羚企业（瞪羚企业 已于 2026-01-01 到期，不计） ✗"


def test_conditions_validate_against_the_vocabulary_the_admins_keep(app, create_user):
    row = {"all": [{"field": "qualifications", "op": "contains_any", "value": ["深圳老字号"]}]}
    assert cond.validate(GAZELLE) == []
    assert "未知的资质“深圳老字号”（不在资质与标签词表中）" in "；".join(cond.validate(row))
    admin = create_user(Role.ADMIN)
    services.save_term(
        None, {"name": "深圳老字号", "aliases": ["老字号"], "validity_months": None}, actor=admin
    )
    db.session.commit()
    assert cond.validate(row) == []
    # the first change stores the seed beside the new term
    assert db.session.scalar(select(func.count(QualificationTerm.id))) == 23
    assert reference.canonical_qualification("老字号") == "深圳老字号"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "瞪羚"}, "与已有词条重复：瞪羚（瞪羚企业）"),
        ({"name": "新词", "aliases": ["国高"]}, "与已有词条重复：国高（国家高新技术企业）"),
        ({"name": "新词", "validity_months": 0}, "有效期应为 1–600 个月"),
        ({"name": ""}, "名称应为 1–40 字"),
    ],
)
def test_bad_terms_are_refused(app, create_user, data, message):
    with pytest.raises(ServiceError, match=message):
        services.save_term(None, data, actor=create_user(Role.ADMIN))


def test_only_admins_keep_the_vocabulary(app, create_user):
    with pytest.raises(ServiceError, match="只有管理员"):
        services.save_term(None, {"name": "新词"}, actor=create_user(Role.OFFICIAL))


def test_the_admin_page_adds_and_edits_terms(client, auth, create_user):
    auth.login(create_user(Role.OFFICIAL))
    assert client.get("/admin/vocabulary/").status_code == 403
    auth.logout()
    auth.login(create_user(Role.ADMIN))
    page = client.get("/admin/vocabulary/").get_data(as_text=True)
    assert "众创空间" in page and "36 个月" in page
    response = client.post("/admin/vocabulary/", data={"name": "专利密集型企业", "aliases": "专利密集型", "issuer": "国家知识产权局", "validity_months": "24"})  # fmt: skip
    assert response.status_code == 302
    term = db.session.scalar(select(QualificationTerm).where(QualificationTerm.name == "专利密集型企业"))
    assert term.aliases == ["专利密集型"] and term.validity_months == 24
    page = client.post("/admin/vocabulary/", data={"name": "专利密集型"}).get_data(as_text=True)
    assert "与已有词条重复" in page
    response = client.post(f"/admin/vocabulary/{term.id}", data={"name": "改名", "aliases": "", "issuer": "", "validity_months": ""})  # fmt: skip
    assert response.status_code == 302
    db.session.refresh(term)
    assert term.name == "专利密集型企业" and term.aliases == [] and term.validity_months is None


def test_the_import_maps_aliases_and_stores_the_last_day(app, create_enterprise):
    firm = create_enterprise()
    line = {"version": 2, "uscc": firm.uscc, "qualifications": ["国高", "瞪羚"],
            "qualifications_since": {"国高": "2023-12-15"}, "qualification_until": {"瞪羚企业": "2026-01-01"}}  # fmt: skip
    report = portal_services.import_enterprises(
        [json.dumps(line, ensure_ascii=False)], source="科技局", on=date(2026, 6, 1)
    )
    db.session.commit()
    assert report.errors == [] and report.updated == 1
    firm = db.session.get(Enterprise, firm.id)
    assert firm.qualifications == ["国家高新技术企业", "瞪羚企业"]
    assert firm.qualification_until == {"国家高新技术企业": "2026-12-14", "瞪羚企业": "2026-01-01"}
    assert firm.profile(date(2026, 6, 1))["qualifications"] == ("国家高新技术企业",)
    assert firm.profile(date(2027, 1, 1))["qualifications"] == ()
    bad = line | {"qualification_until": {"上市企业": "2026-01-01"}}
    report = portal_services.import_enterprises(
        [json.dumps(bad, ensure_ascii=False)], source="科技局", on=date(2026, 6, 1)
    )
    assert "日期对应的资质不在 qualifications 中：上市企业" in report.errors[0][1]
