"""Issue 9 form bugs and rough edges: a future founding date is refused (bug 4); qualifications are checkboxes
that still show held ones when locked; the application contact is a person, not the company's name."""

from __future__ import annotations

from datetime import timedelta

from portal.extensions import db
from portal.timeutil import today
from tests.test_profile import FORM


def test_founding_date_in_the_future_is_refused(client, auth, create_user, create_enterprise):
    firm = create_enterprise(verified=(), founded=today() - timedelta(days=400))
    auth.login(create_user("enterprise", enterprise_id=firm.id))
    tomorrow = today() + timedelta(days=1)
    response = client.post("/profile", data=FORM | {"founded": tomorrow.isoformat()})
    # before: 302 "企业画像已保存" and 成立年限 "—"
    assert response.status_code == 400
    assert f"成立日期不能晚于今天（{today().isoformat()}）" in response.text
    assert "企业画像已保存" not in response.text
    db.session.refresh(firm)
    assert firm.founded == today() - timedelta(days=400)
    assert client.post("/profile", data=FORM | {"founded": today().isoformat()}).status_code == 302


def test_qualifications_are_checkboxes_and_held_ones_show_when_locked(
    client, auth, create_user, create_enterprise
):
    firm = create_enterprise(qualifications=["国家高新技术企业"])  # every field verified
    auth.login(create_user("enterprise", enterprise_id=firm.id))
    page = client.get("/profile").text
    section = page.split('id="qualifications"')[1].split("</div>\n      </div>")[0]
    assert 'type="checkbox"' in section and "<select" not in section
    held = (
        section.split('value="国家高新技术企业"')[0].rsplit("<input", 1)[1]
        + section.split('value="国家高新技术企业"')[1].split(">")[0]
    )
    assert "checked" in held and "disabled" in held


def test_application_contact_is_not_the_company_name(client, auth, create_user, create_enterprise, app):
    from portal.policies.models import Policy

    firm = create_enterprise()
    user = create_user("enterprise", enterprise_id=firm.id, display_name=firm.name)
    policy = Policy(title="技术改造补助", category="技术改造", status="published", conditions={"all": []})
    db.session.add(policy)
    db.session.commit()
    auth.login(user)
    page = client.get(f"/approvals/apply/{policy.id}/form").text
    contact = page.split('name="contact_name"')[1].split(">")[0]
    assert firm.name not in contact  # before: prefilled with the company's name
