"""Subscriptions: saving says what it sends; the digest reaches inbox and a local SMTP sink; one-click unsubscribe."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from datetime import date

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from portal.alerts import services
from portal.alerts.models import Subscription
from portal.extensions import db
from portal.models import Notification, Role
from portal.policies.models import Policy, PolicyStatus


def _policy(title: str, category: str = "研发资助") -> Policy:
    policy = Policy(
        code=f"A-{title}",
        status=PolicyStatus.PUBLISHED,
        title=title,
        issuer="深圳市宝安区研发资助局",
        category=category,
        published_on=date(2026, 1, 1),
        conditions={"all": []},
        revision_no=1,
    )
    db.session.add(policy)
    db.session.commit()
    return policy


class Sink:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        """Keep the message and accept it."""
        self.messages.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_sink():
    """A real SMTP server on a free local port for the test's duration."""
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, sink
    controller.stop()


@pytest.fixture
def enterprise(create_user):
    """An enterprise account."""
    return create_user(Role.ENTERPRISE, name="深圳市订阅科技有限公司")


def _save(client, **data):
    return client.post(
        "/alerts/", data={"query": "", "category": "", "email": ""} | data, follow_redirects=True
    )


def test_saving_says_what_alerts_it_sends(client, auth, enterprise):
    auth.login(enterprise)
    page = _save(client, query="研发", category="研发资助", email="owner@example.test").get_data(as_text=True)
    assert "已订阅关键词“研发” · 类别“研发资助”" in page
    assert "每天汇总一次" in page and "站内消息和邮件（owner@example.test）" in page
    assert db.session.scalar(select(func.count(Subscription.id))) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "请填写关键词或选择政策类别"),
        ({"query": "研发", "email": "not-an-address"}, "邮箱地址格式不正确"),
        ({"category": "不存在的类别"}, "Not a valid choice"),
    ],
)
def test_bad_subscriptions_are_refused_and_write_nothing(client, auth, enterprise, data, message):
    auth.login(enterprise)
    response = _save(client, **data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Subscription.id))) == 0


def test_official_needs_an_email_and_duplicates_are_refused(client, auth, create_user):
    auth.login(create_user(Role.OFFICIAL))
    assert "请填写接收提醒的邮箱" in _save(client, query="研发").get_data(as_text=True)
    assert _save(client, query="研发", email="a@example.test").status_code == 200
    again = _save(client, query="研发", email="a@example.test")
    assert again.status_code == 400 and "已订阅相同的检索条件" in again.get_data(as_text=True)


def test_digest_goes_to_inbox_grouped_once_and_only_matching_changes(app, runner, enterprise):
    _policy("旧的研发资助")  # published before the subscription: not new
    services.save_subscription(enterprise, query="研发", category="", email="")
    services.save_subscription(enterprise, query="", category="贷款贴息", email="")
    db.session.commit()
    _policy("新的研发投入补贴")
    _policy("新的贷款贴息", category="贷款贴息")
    _policy("新的人才住房", category="人才支持")
    result = runner.invoke(args=["alerts", "digest"])
    assert "1 位用户，2 项政策；站内消息 1 条，邮件 0 封" in result.output, result.output
    note = db.session.scalars(select(Notification)).one()
    assert note.enterprise_id == enterprise.enterprise_id and note.category == "订阅提醒"
    assert "【关键词“研发”】1 项" in note.body and "新的研发投入补贴" in note.body
    assert "【类别“贷款贴息”】1 项" in note.body and "新的贷款贴息" in note.body
    assert "旧的研发资助" not in note.body and "人才住房" not in note.body
    assert note.body.count("/alerts/unsubscribe/") == 2
    rerun = runner.invoke(args=["alerts", "digest"])
    assert "0 位用户" in rerun.output and db.session.scalar(select(func.count(Notification.id))) == 1


def test_digest_is_mailed_through_smtp(make_app, create_user, smtp_sink):
    controller, sink = smtp_sink
    app = make_app(
        SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, PUBLIC_BASE_URL="https://portal.example.test"
    )
    with app.app_context():
        official = create_user(Role.OFFICIAL, name="王科长")
        services.save_subscription(official, query="研发", category="", email="wang@example.test")
        db.session.commit()
        _policy("新的研发投入补贴")
        result = app.test_cli_runner().invoke(args=["alerts", "digest"])
        assert "邮件 1 封" in result.output, result.output
    assert len(sink.messages) == 1
    envelope = sink.messages[0]
    assert envelope.rcpt_tos == ["wang@example.test"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["List-Unsubscribe"].startswith("<https://portal.example.test/alerts/unsubscribe/")
    assert "订阅提醒" in message["Subject"]
    body = message.get_content()
    assert "【关键词“研发”】1 项" in body and "新的研发投入补贴" in body


def test_a_mail_outage_keeps_the_inbox_message(make_app, create_user):
    app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=_free_port(), SMTP_TIMEOUT=2)  # nobody listens there
    with app.app_context():
        user = create_user(Role.ENTERPRISE)
        services.save_subscription(user, query="研发", category="", email="x@example.test")
        db.session.commit()
        _policy("新的研发投入补贴")
        result = app.test_cli_runner().invoke(args=["alerts", "digest"])
        assert "站内消息 1 条，邮件 0 封，邮件失败 1 封" in result.output, result.output
        assert db.session.scalar(select(func.count(Notification.id))) == 1


def test_one_click_unsubscribe_by_signed_link_without_login(make_app, create_user):
    app = make_app(WTF_CSRF_ENABLED=True)  # the real configuration: CSRF on every other form
    with app.app_context():
        user = create_user(Role.ENTERPRISE)
        subscription, _ = services.save_subscription(user, query="研发", category="", email="")
        db.session.commit()
        token = services.unsubscribe_token(subscription, app.config["SECRET_KEY"])
        client = app.test_client()
        page = client.get(f"/alerts/unsubscribe/{token}")
        assert page.status_code == 200 and "确认退订" in page.get_data(as_text=True)
        assert db.session.get(Subscription, subscription.id).active, "a GET must not unsubscribe"
        assert client.post(f"/alerts/unsubscribe/{token}").status_code == 400, "CSRF holds here too"
        assert db.session.get(Subscription, subscription.id).active
        csrf_token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
        done = client.post(f"/alerts/unsubscribe/{token}", data={"csrf_token": csrf_token})
        assert done.status_code == 200 and "已退订“关键词“研发”" in done.get_data(as_text=True)
        db.session.expire_all()
        assert not db.session.get(Subscription, subscription.id).active
        forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
        assert (
            client.post(f"/alerts/unsubscribe/{forged}", data={"csrf_token": csrf_token}).status_code == 404
        )
        # Everywhere else CSRF still holds: saving without a token is refused.
        assert client.post("/alerts/", data={"query": "x"}).status_code in (302, 400)


def test_cancel_checks_the_owner(client, auth, enterprise, create_user):
    other = create_user(Role.ENTERPRISE)
    subscription, _ = services.save_subscription(other, query="研发", category="", email="")
    db.session.commit()
    auth.login(enterprise)
    assert client.post(f"/alerts/{subscription.id}/cancel").status_code == 404
    assert db.session.get(Subscription, subscription.id).active
    auth.logout()
    auth.login(other)
    assert "已退订" in client.post(f"/alerts/{subscription.id}/cancel", follow_redirects=True).get_data(
        as_text=True
    )
