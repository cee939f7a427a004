"""Form applications with attachments: PDF/JPG/PNG by content, ≤ UPLOAD_MAX_BYTES each; a bad one stores nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.approvals import services
from portal.approvals.models import Application, Attachment, Status
from portal.extensions import db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
FORM = {"contact_name": "张三", "contact_phone": "0755-12345678", "statement": "申请技术改造补助"}


@pytest.fixture
def form_policy(create_policy):
    """A policy decided by officials (not 秒批)."""
    return create_policy(instant=False, support={"kind": "fixed", "amount_wan": 20}, title="技术改造补助")


def _stored_files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _post(client, policy, *files):
    data = dict(FORM, attachments=[(io.BytesIO(content), name) for name, content in files])
    return client.post(
        f"/approvals/apply/{policy.id}/form",
        data=data,
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_the_form_is_prefilled_from_the_profile(client, auth, enterprise_user, form_policy):
    user = enterprise_user()
    auth.login(user)
    page = client.get(f"/approvals/apply/{form_policy.id}/form").get_data(as_text=True)
    assert 'value="5230.00"' in page and 'value="310.00"' in page and user.enterprise.uscc in page


def test_good_files_are_stored_with_random_names_and_go_to_review(
    app, client, auth, enterprise_user, form_policy
):
    auth.login(enterprise_user())
    page = _post(client, form_policy, ("审计报告.pdf", PDF), ("营业执照.png", PNG), ("照片.jpeg", JPG))
    assert "申请已提交" in page.get_data(as_text=True)
    application = db.session.scalars(select(Application)).one()
    assert application.status == Status.IN_REVIEW and application.form_data["contact_name"] == "张三"
    kinds = [(a.original_name, a.content_type) for a in application.attachments]
    assert kinds == [
        ("审计报告.pdf", "application/pdf"),
        ("营业执照.png", "image/png"),
        ("照片.jpeg", "image/jpeg"),
    ]
    files = _stored_files(app)
    assert len(files) == 3 and not any("审计" in f.name for f in files)
    assert (
        "static" not in str(files[0]) and files[0].parent == Path(app.config["UPLOAD_FOLDER"]) / "approvals"
    )
    assert client.get(f"/approvals/attachments/{application.attachments[0].id}").data == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("假的.pdf", b"just some text pretending to be a PDF", "不是 PDF、JPG 或 PNG 文件"),
        ("空.pdf", b"", "不是 PDF、JPG 或 PNG 文件"),
        ("脚本.png", b"<script>alert(1)</script>", "不是 PDF、JPG 或 PNG 文件"),
        ("大文件.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024), "超过 10 MB 的上限"),
    ],
)
def test_a_bad_upload_is_refused_and_nothing_is_stored(
    app, client, auth, enterprise_user, form_policy, name, content, message
):
    auth.login(enterprise_user())
    response = _post(client, form_policy, ("好的.pdf", PDF), (name, content))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Application.id))) == 0
    assert db.session.scalar(select(func.count(Attachment.id))) == 0
    assert _stored_files(app) == []


def test_the_size_limit_comes_from_config(make_app, enterprise_user, form_policy):
    small = make_app(UPLOAD_MAX_BYTES=16)
    with small.app_context():
        user = db.session.merge(enterprise_user())
        with pytest.raises(services.ServiceError, match="超过"):
            services.apply_with_form(
                user.enterprise,
                db.session.merge(form_policy),
                actor=user,
                form_data=FORM,
                uploads=[services.Upload("a.pdf", io.BytesIO(PDF))],
                upload_folder=small.config["UPLOAD_FOLDER"],
                max_bytes=small.config["UPLOAD_MAX_BYTES"],
            )


def test_an_instant_policy_has_no_form(app, enterprise_user, create_policy):
    user = enterprise_user()
    with pytest.raises(services.ServiceError, match="一键申领"):
        services.apply_with_form(
            user.enterprise,
            create_policy(),
            actor=user,
            form_data=FORM,
            uploads=[],
            upload_folder=app.config["UPLOAD_FOLDER"],
            max_bytes=app.config["UPLOAD_MAX_BYTES"],
        )


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPG, "image/jpeg"),
        (b"GIF89a", None),
        (b"PK\x03\x04", None),
    ],
)
def test_sniff(head, kind):
    found = services.sniff(head)
    assert (found[0] if found else None) == kind


def test_a_resubmission_returns_the_existing_application_and_stores_nothing(
    app, client, auth, enterprise_user, form_policy
):
    auth.login(enterprise_user())
    _post(client, form_policy, ("审计报告.pdf", PDF))
    page = _post(client, form_policy, ("再次.pdf", PDF)).get_data(as_text=True)
    assert "您已申请过该政策" in page
    assert db.session.scalar(select(func.count(Application.id))) == 1
    assert db.session.scalar(select(func.count(Attachment.id))) == 1 and len(_stored_files(app)) == 1
