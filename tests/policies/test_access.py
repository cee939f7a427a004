"""Permission twice: the route's role and the record's check, for every policies route."""

from __future__ import annotations

import pytest

from portal import services
from portal.extensions import db
from portal.policies import catalog

ROLES = ("enterprise", "official", "bank", "admin")
# (method, url template, roles allowed by the route)
ROUTES = [
    ("GET", "/policies/", ROLES),
    ("GET", "/policies/{published}", ROLES),
    ("GET", "/policies/{published}/revisions", ROLES),
    ("GET", "/policies/recommend", ("enterprise",)),
    ("GET", "/policies/new", ("official", "admin")),
    ("GET", "/policies/{draft}/edit", ("official", "admin")),
    ("GET", "/policies/{draft}/sandbox", ("official", "admin")),
    ("POST", "/policies/{draft}/publish", ("official", "admin")),
    ("POST", "/policies/{published}/expire", ("official", "admin")),
    ("GET", "/policies/inbox", ("enterprise",)),
    ("GET", "/policies/settings", ("enterprise",)),
    ("POST", "/policies/inbox/read-all", ("enterprise",)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "allowed"), ROUTES)
def test_route_roles(client, auth, create_user, create_policy, role, method, url, allowed):
    ids = {"published": create_policy().id, "draft": create_policy(status="draft").id}
    auth.login(create_user(role))
    response = client.open(url.format(**ids), method=method)
    if role in allowed:
        # A page renders; a form post does its work and redirects (never a silent 200 on a POST).
        assert response.status_code == (200 if method == "GET" else 302), response.status_code
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(("method", "url"), [(m, u) for m, u, _ in ROUTES])
def test_anonymous_is_sent_to_login(client, create_policy, method, url):
    ids = {"published": create_policy().id, "draft": create_policy(status="draft").id}
    response = client.open(url.format(**ids), method=method)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ("enterprise", "bank"))
def test_drafts_do_not_exist_for_non_staff(client, auth, create_user, create_policy, role):
    draft = create_policy(status="draft")
    auth.login(create_user(role))
    assert client.get(f"/policies/{draft.id}").status_code == 404
    assert client.get(f"/policies/{draft.id}/revisions").status_code == 404


def test_job_status_needs_staff(client, auth, create_user, create_policy, official, on):
    job = catalog.publish(create_policy(status="draft"), actor=official, on=on)
    db.session.commit()
    auth.login(create_user("enterprise"))
    assert client.get(f"/policies/jobs/{job.id}").status_code == 403
    auth.logout()
    auth.login(official)
    assert client.get(f"/policies/jobs/{job.id}").get_json()["status"] == "queued"


def test_services_refuse_non_staff(app, create_user, create_policy, on):
    enterprise_user = create_user("enterprise")
    with pytest.raises(services.ServiceError):
        catalog.publish(create_policy(status="draft"), actor=enterprise_user, on=on)
    with pytest.raises(services.ServiceError):
        catalog.save_policy(None, {"title": "x", "category": "其他"}, actor=enterprise_user)
