"""Issue 9 "errors one per submit as a banner": an official's decision, a post-audit and an appeal come back with
every error under its own field (400), not as a banner after a redirect; issue 8 limits on uploads: at most
UPLOAD_MAX_FILES attachments per application, refused in Chinese with nothing written."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from portal.approvals import services
from portal.approvals.models import Application, Attachment, Status
from portal.extensions import db

UNVERIFIED = ("registered_district", "credit_ok")  # self-declared → the officials' queue
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
FORM = {"contact_name": "张三", "contact_phone": "0755-12345678", "statement": "申请技术改造补助"}


def _under(page: str, field_id: str) -> str:
    """The error text tied to a field by aria-describedby (empty when the field has none)."""
    found = re.search(rf'id="{field_id}-error">(.*?)</div>\s*</div>', page, re.S)
    control = re.search(rf'<[^>]+id="{field_id}"[^>]*>', page)
    assert control is not None, field_id
    if found is None:
        assert "aria-invalid" not in control.group(0)
        return ""
    assert f"{field_id}-error" in control.group(0)
    # a group (fieldset of radios or boxes) marks each choice; a single control marks itself
    assert 'aria-invalid="true"' in (control.group(0) if "<fieldset" not in control.group(0) else page)
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_a_decision_shows_every_error_under_its_field(client, auth, official, enterprise_user, create_policy):
    user = enterprise_user(verified=UNVERIFIED)
    application, _ = services.apply_instant(user.enterprise, create_policy(), actor=user)
    db.session.commit()
    auth.login(official)
    client.post(f"/approvals/{application.id}/claim")
    # before: a redirect and one banner per submit ("不予通过时须填写理由。"), the field not marked
    response = client.post(f"/approvals/{application.id}/decide", data={"action": "reject", "comment": " "})
    assert response.status_code == 400
    assert "不予通过时须填写审核意见" in _under(response.text, "comment")
    assert 'class="alert alert-danger' not in response.text
    response = client.post(f"/approvals/{application.id}/decide", data={"action": "approve", "amount": "abc"})
    assert response.status_code == 400 and "不是有效的小数" in _under(response.text, "amount")
    response = client.post(f"/approvals/{application.id}/decide", data={"amount": ""})
    assert "请选择审核结论" in _under(response.text, "action")
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == Status.IN_REVIEW


def test_an_appeal_without_a_reason_is_marked_under_the_field(client, auth, enterprise_user, create_policy):
    user = enterprise_user(rd_expense_wan=Decimal("100.00"))
    application, _ = services.apply_instant(user.enterprise, create_policy(), actor=user)
    db.session.commit()
    assert application.status == Status.REJECTED
    auth.login(user)
    response = client.post(f"/approvals/{application.id}/appeal", data={"reason": ""})
    assert response.status_code == 400 and "请填写申诉理由" in _under(response.text, "reason")
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == Status.REJECTED


def _stored(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _apply(client, policy, count: int):
    files = [(io.BytesIO(PDF), f"材料{n}.pdf") for n in range(count)]
    return client.post(
        f"/approvals/apply/{policy.id}/form",
        data=dict(FORM, attachments=files),
        content_type="multipart/form-data",
    )


def test_more_attachments_than_the_limit_are_refused_and_nothing_is_written(
    app, client, auth, enterprise_user, create_policy
):
    policy = create_policy(instant=False, support={"kind": "fixed", "amount_wan": 20}, title="技术改造补助")
    auth.login(enterprise_user())
    limit = app.config["UPLOAD_MAX_FILES"]
    page = client.get(f"/approvals/apply/{policy.id}/form").text
    assert f"最多 {limit} 份，每份不超过 10 MB" in page  # the limit is stated before the user chooses files
    # before: six small files were all stored (the request limit is files × size, not a count)
    response = _apply(client, policy, limit + 1)
    assert response.status_code == 400
    assert f"附件最多 {limit} 份，本次选择了 {limit + 1} 份" in _under(response.text, "attachments")
    assert db.session.scalar(select(func.count(Application.id))) == 0
    assert db.session.scalar(select(func.count(Attachment.id))) == 0
    assert _stored(app) == []
    assert _apply(client, policy, limit).status_code == 302
    assert db.session.scalar(select(func.count(Attachment.id))) == limit


def test_the_attachment_count_comes_from_config(make_app, enterprise_user, create_policy):
    small = make_app(UPLOAD_MAX_FILES=1)
    with small.app_context():
        user = db.session.merge(enterprise_user())
        policy = db.session.merge(create_policy(instant=False, support={"kind": "fixed", "amount_wan": 5}))
        uploads = [services.Upload(f"{n}.pdf", io.BytesIO(PDF)) for n in range(2)]
        try:
            services.apply_with_form(
                user.enterprise,
                policy,
                actor=user,
                form_data=FORM,
                uploads=uploads,
                upload_folder=small.config["UPLOAD_FOLDER"],
                max_bytes=small.config["UPLOAD_MAX_BYTES"],
                max_files=small.config["UPLOAD_MAX_FILES"],
            )
        except services.ServiceError as exc:
            assert "附件最多 1 份" in str(exc)
        else:
            raise AssertionError("two attachments passed a limit of one")
