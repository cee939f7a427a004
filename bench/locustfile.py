"""Mixed load on the portal: enterprises, officials and banks (web and API) browsing their pages at once.

Run through bench/mixed_load.py (starts gunicorn on the scale database, passes record ids in CRAWL_IDS, runs
locust headless for a bounded time on loopback and reports p50/p95). By hand, against a running portal:

    CRAWL_IDS='{"policy": 1, ...}' .venv/bin/locust -f bench/locustfile.py --headless -u 50 -r 10 -t 60s \\
        --host http://127.0.0.1:5000 --only-summary

Each simulated user logs in once with a demo account and then waits between pages: 1–3 s by default (a stress
setting: 50 users offer ≈ 25 requests/s), or what THINK="lo,hi" in seconds says (mixed_load.py --think). Every page is named by what it is, not its URL, so the table groups them.
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, between, task

IDS = json.loads(os.environ.get("CRAWL_IDS", "{}"))
TOKEN = os.environ.get("CRAWL_API_TOKEN", "")
THINK = tuple(float(x) for x in os.environ.get("THINK", "1,3").split(","))
SEARCHES = ["研发", "专精特新 奖励", "高新技术企业", "稳岗补贴", "人才", "融资贴息"]


class _Portal(HttpUser):
    abstract = True
    wait_time = between(*THINK)
    account: tuple[str, str] = ("", "")

    def on_start(self):
        """Log in with the role's demo account (the CSRF token is read from the form)."""
        form = self.client.get("/login", name="login form").text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
        self.client.post(
            "/login",
            data={"csrf_token": token, "username": self.account[0], "password": self.account[1]},
            name="login",
            allow_redirects=False,
        )

    def page(self, path: str, name: str):
        """GET one page; anything but 200 counts as a failure."""
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as answer:
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code}")


class Enterprise(_Portal):
    """Most users: firms looking for policies, reading their inbox, checking applications."""

    weight = 5
    account = ("enterprise", "demo-firm-2026")

    @task(4)
    def home(self):
        self.page("/", "enterprise home")

    @task(4)
    def search(self):
        self.page(f"/policies/?q={random.choice(SEARCHES)}", "search")

    @task(2)
    def catalog(self):
        self.page(f"/policies/?page={random.randint(1, 200)}", "catalog page")

    @task(3)
    def detail(self):
        self.page(f"/policies/{IDS.get('policy', 1) - random.randint(0, 500)}", "policy detail")

    @task(2)
    def recommend(self):
        self.page("/policies/recommend", "为我推荐")

    @task(3)
    def inbox(self):
        self.page(f"/policies/inbox?page={random.randint(1, 50)}", "inbox")

    @task(1)
    def applications(self):
        self.page("/approvals/", "my applications")

    @task(1)
    def financing(self):
        self.page("/finance/requests", "financing requests")


class Official(_Portal):
    """District staff: the queue with filters, the dashboard, parks, scorecards."""

    weight = 3
    account = ("official", "demo-district-2026")

    @task(4)
    def queue(self):
        status = random.choice(["", "in_review", "approved", "rejected"])
        self.page(f"/approvals/queue?status={status}", "queue")

    @task(2)
    def dashboard(self):
        self.page("/dashboard", "dashboard")

    @task(2)
    def parks(self):
        self.page("/parks", "parks")

    @task(1)
    def park(self):
        parks = IDS.get("parks") or [1]
        self.page(f"/parks/{random.choice(parks)}", "park page")

    @task(2)
    def application(self):
        self.page(f"/approvals/{IDS.get('application', 1) - random.randint(0, 100_000)}", "application")

    @task(1)
    def scorecards(self):
        self.page("/finance/scorecards", "scorecards")

    @task(2)
    def search(self):
        self.page(f"/policies/?q={random.choice(SEARCHES)}", "search")


class Bank(_Portal):
    """Bank staff on the web feed."""

    weight = 1
    account = ("bank", "demo-lender-2026")

    @task(3)
    def feed(self):
        self.page("/finance/bank/feed", "bank feed")

    @task(1)
    def request(self):
        self.page(f"/finance/bank/requests/{IDS.get('bank_request', 1)}", "bank request")


class BankApi(HttpUser):
    """A bank's system polling the JSON API."""

    weight = 1
    wait_time = between(*THINK)

    @task
    def feed(self):
        self.client.get(
            "/api/v1/feed?limit=100", name="api feed", headers={"Authorization": f"Bearer {TOKEN}"}
        )
