"""Fill a PostgreSQL database at Bao'an scale for the page crawl, the mixed load and the 秒批 capacity runs.

    .venv/bin/python bench/scale_db.py [--db baoan] [--scale 1.0] [--seed 7]

Drops and recreates the database (never `test`), builds the schema with the migrations (`flask db upgrade`),
seeds the demo data set (so the demo accounts of README.md log in), then COPYs, at --scale 1.0:
1,000,000 enterprises (bench/synth.py's generator), 10,000 published policies (synth.policies, one revision each),
500,000 applications with their decision records, 100,000 financing requests with two routes each and offers,
and 10,000,000 inbox messages (5,000 of them to the demo enterprise, so its inbox has many pages).
Ends with VACUUM ANALYZE and prints seconds per table. Rows are generated in Python and streamed with COPY.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402

from portal import reference  # noqa: E402

DEV = ROOT.parent / "shared" / "bench" / "policy_match" / "dev"
BASE = "postgresql://postgres@127.0.0.1:5432"
FULL = {
    "enterprises": 1_000_000,
    "policies": 10_000,
    "applications": 500_000,
    "financing": 100_000,
    "messages": 10_000_000,
}
# Records are dated back from the real clock (set in main, never at import), so consents, deadlines and
# "waiting ≥ 30 days" are current.
NOW = datetime(2026, 6, 30, 4, 0, tzinfo=UTC)
CHUNK = 200_000


def _tsv(value) -> str:
    """One COPY text field: \\N for None, escapes for tab/newline/backslash."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _cols(names: str) -> list[str]:
    """Column names from one comma-separated string (easier to read against the row tuples)."""
    return [name.strip() for name in names.split(",")]


def _copy(conn, table: str, columns: list[str], rows) -> int:
    """COPY rows (tuples) into table in text format, buffered; return the count."""
    n = 0
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with conn.cursor() as cur, cur.copy(sql) as copy:
        buf = io.StringIO()
        for row in rows:
            buf.write("\t".join(map(_tsv, row)))
            buf.write("\n")
            n += 1
            if n % 50_000 == 0:
                copy.write(buf.getvalue())
                buf = io.StringIO()
        copy.write(buf.getvalue())
    return n


def _recreate(db: str) -> None:
    import psycopg

    assert db not in ("test", "postgres"), "never the CI or maintenance database"
    with psycopg.connect(BASE + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db}"')


def _schema_and_demo(url: str) -> None:
    """Migrations and the demo data, through the app (as `make run` does)."""
    from flask_migrate import upgrade

    from portal import create_app, demo
    from portal.extensions import db
    from portal.timeutil import today

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        demo.seed(on=today())
        db.session.commit()


def _money(tenths: np.ndarray) -> list[str]:
    return [f"{t // 10}.{t % 10}0" for t in tenths.tolist()]


def _enterprises(conn, n: int, rng: np.random.Generator) -> tuple[int, int]:
    """Synthetic enterprises after the demo ones; return (first id, last id)."""
    cols = synth.enterprises(n, synth._vocabularies(DEV), rng)
    taken = {row[0] for row in conn.execute("SELECT uscc FROM enterprises")}
    first = conn.execute("SELECT max(id) FROM enterprises").fetchone()[0] + 1
    quals: dict[int, str] = {}

    def qual_json(mask: int) -> str:
        hit = quals.get(mask)
        if hit is None:
            hit = quals[mask] = json.dumps(
                [q for i, q in enumerate(reference.QUALIFICATIONS) if mask >> i & 1], ensure_ascii=False
            )
        return hit

    null = {k: rng.random(n) < 0.01 for k in ("street", "founded", "employees", "revenue", "rd", "quals")}
    muted = np.where(rng.random(n) < 0.05, '["研发资助"]', "[]").tolist()
    revenue, assets = _money(cols["revenue_tenths"]), _money(cols["assets_tenths"])
    rd, tax = _money(cols["rd_expense_tenths"]), _money(cols["tax_paid_tenths"])
    uscc, district, street = (
        cols["uscc"].tolist(),
        cols["registered_district"].tolist(),
        cols["street"].tolist(),
    )
    industry, founded = cols["industry_code"].tolist(), cols["founded"].astype(object).tolist()
    employees, qual, credit = (
        cols["employees"].tolist(),
        cols["qualifications"].tolist(),
        cols["credit_ok"].tolist(),
    )
    nulls = {k: v.tolist() for k, v in null.items()}
    stamp = datetime(2026, 6, 1, tzinfo=UTC).isoformat()

    def rows():
        next_id = first
        for k in range(n):
            if uscc[k] in taken:
                continue
            taken.add(uscc[k])
            yield (
                next_id,
                uscc[k],
                f"宝安合成企业{k:07d}有限公司",
                district[k],
                None if nulls["street"][k] else street[k],
                industry[k],
                None if nulls["founded"][k] else founded[k],
                None if nulls["employees"][k] else employees[k],
                None if nulls["revenue"][k] else revenue[k],
                assets[k],
                None if nulls["rd"][k] else rd[k],
                tax[k],
                "null" if nulls["quals"][k] else qual_json(qual[k]),
                credit[k],
                "",
                "",
                "{}",
                muted[k],
                stamp,
                stamp,
            )
            next_id += 1

    columns = _cols(
        "id, uscc, name, registered_district, street, industry_code, founded, employees, revenue_wan, assets_wan, "
        "rd_expense_wan, tax_paid_wan, qualifications, credit_ok, business_scope, description, verified, "
        "muted_categories, created_at, updated_at"
    )
    count = _copy(conn, "enterprises", columns, rows())
    return first, first + count - 1


def _policies(conn, m: int, rng: np.random.Generator, official_id: int) -> tuple[int, int]:
    """Published synthetic policies with one revision each; return (first id, last id)."""
    from portal.policies.catalog import index_terms, parse_policy_row

    first = conn.execute("SELECT coalesce(max(id), 0) FROM policies").fetchone()[0] + 1
    first_rev = conn.execute("SELECT coalesce(max(id), 0) FROM policy_revisions").fetchone()[0] + 1
    terms: dict[tuple[str, str], str] = {}
    policies, revisions = [], []
    stamp = NOW.isoformat()
    for k, raw in enumerate(synth.policies(m, DEV, rng, mix=0.2)):
        raw = {**raw, "id": f"S-{k + 1:05d}"}
        code, content = parse_policy_row(raw)
        key = (content["title"][:20], content["text"])
        if key not in terms:
            terms[key] = index_terms(content["title"], content["text"])
        content_json = {
            **content,
            "published_on": content["published_on"].isoformat() if content.get("published_on") else None,
            "deadline": content["deadline"].isoformat() if content.get("deadline") else None,
        }
        content_json.pop("budget_wan", None)
        pid = first + k
        budget = None if k % 3 else "100000.00"
        policies.append(
            (
                pid,
                code,
                "published",
                content["title"],
                content.get("issuer", ""),
                content.get("doc_no", ""),
                content.get("region", "宝安区"),
                content_json["published_on"],
                content_json["deadline"],
                content["category"],
                content.get("text", ""),
                json.dumps(content["conditions"], ensure_ascii=False),
                json.dumps(content["targets"], ensure_ascii=False),
                json.dumps(content.get("support"), ensure_ascii=False) if content.get("support") else None,
                bool(content.get("instant")),
                budget,
                "0.00",
                1,
                official_id,
                stamp,
                stamp,
                stamp,
                terms[key],
            )
        )
        revisions.append(
            (
                first_rev + k,
                pid,
                1,
                json.dumps(content_json, ensure_ascii=False, default=str),
                official_id,
                stamp,
            )
        )
    _copy(
        conn,
        "policies",
        _cols(
            "id, code, status, title, issuer, doc_no, region, published_on, deadline, category, text, conditions, "
            "targets, support, instant, budget_wan, budget_spent_wan, revision_no, created_by_id, created_at, "
            "updated_at, published_at, search_terms"
        ),
        policies,
    )
    _copy(
        conn,
        "policy_revisions",
        ["id", "policy_id", "number", "content", "created_by_id", "created_at"],
        revisions,
    )
    return first, first + m - 1


def _applications(conn, a: int, firms: tuple[int, int], pols: tuple[int, int], rng, official_id: int) -> int:
    """Applications (each synthetic enterprise at most once) and their decision records; return records."""
    n_firms, n_pols = firms[1] - firms[0] + 1, pols[1] - pols[0] + 1
    rev_of = dict(conn.execute("SELECT policy_id, id FROM policy_revisions WHERE number = 1").fetchall())
    first = conn.execute("SELECT coalesce(max(id), 0) FROM applications").fetchone()[0] + 1
    first_rec = conn.execute("SELECT coalesce(max(id), 0) FROM decision_records").fetchone()[0] + 1
    # approved 55 %, paid 10 %, rejected 15 %, in review 15 %, submitted 5 %
    kinds = rng.choice(5, a, p=[0.55, 0.10, 0.15, 0.15, 0.05]).tolist()
    statuses = ["approved", "paid", "rejected", "in_review", "submitted"]
    amounts = (rng.integers(1, 500, a) * 10).tolist()
    ages = rng.integers(0, 365 * 24 * 3600, a).tolist()
    audit = (rng.random(a) < 0.05).tolist()
    grant = (rng.random(a) < 0.10).tolist()
    records: list[tuple] = []
    rec_id = first_rec

    def apps():
        nonlocal rec_id
        for k in range(a):
            aid, eid, pid = first + k, firms[0] + (k * 37) % n_firms, pols[0] + k % n_pols
            status = statuses[kinds[k]]
            created = NOW - timedelta(seconds=ages[k])
            decided = created + timedelta(seconds=2) if status != "submitted" else None
            amount = f"{amounts[k]}.00"
            auto = status in ("approved", "paid") and k % 2 == 0
            audit_status = "pending" if auto and audit[k] else None
            rev = rev_of[pid]
            yield (
                aid, eid, pid, rev, status, amount, "grant" if grant[k] else "apply", "{}", None, None,
                audit_status, "", None, None, created.isoformat(), (decided or created).isoformat(),
                decided.isoformat() if decided else None,
            )  # fmt: skip
            steps = [(None, "submitted")]
            if status == "in_review":
                steps.append(("submitted", "in_review"))
            elif status in ("approved", "rejected"):
                steps.append(("submitted", status))
            elif status == "paid":
                steps += [("submitted", "approved"), ("approved", "paid")]
            for from_s, to_s in steps:
                engine = to_s in ("submitted", "in_review") or auto
                records.append(
                    (
                        rec_id, aid, "transition", None if engine else official_id, "规则引擎" if engine else "审核员",
                        from_s, to_s, "符合全部条件" if to_s == "approved" else "", amount if to_s != "submitted" else None,
                        rev, "[]" if engine else None, "{}" if engine else None, created.isoformat(),
                    )
                )  # fmt: skip
                rec_id += 1

    app_cols = _cols(
        "id, enterprise_id, policy_id, revision_id, status, amount_wan, source, form_data, claimed_by_id, "
        "claimed_at, audit_status, audit_comment, audited_by_id, audited_at, created_at, updated_at, decided_at"
    )
    _copy(conn, "applications", app_cols, apps())
    rec_cols = _cols(
        "id, application_id, kind, actor_id, actor_name, from_status, to_status, reason, amount_wan, "
        "revision_id, results, profile_snapshot, created_at"
    )
    _copy(conn, "decision_records", rec_cols, records)
    # Budgets spent agree with what was approved, as the services keep them.
    conn.execute(
        "UPDATE policies p SET budget_spent_wan = s.total FROM (SELECT policy_id, sum(amount_wan) AS total "
        "FROM applications WHERE status IN ('approved', 'paid') GROUP BY policy_id) s WHERE s.policy_id = p.id "
        "AND p.id >= %s",
        (pols[0],),
    )
    return len(records)


def _financing(conn, f: int, firms: tuple[int, int], rng) -> tuple[int, int]:
    """Financing requests, two routes each and offers where a bank answered; return (routes, offers)."""
    n_firms = firms[1] - firms[0] + 1
    products = conn.execute(
        "SELECT bank_id, min(id) FROM loan_products GROUP BY bank_id ORDER BY bank_id"
    ).fetchall()
    banks = [b for b, _ in products]
    product_of = dict(products)
    first = conn.execute("SELECT coalesce(max(id), 0) FROM financing_requests").fetchone()[0] + 1
    first_route = conn.execute("SELECT coalesce(max(id), 0) FROM financing_routes").fetchone()[0] + 1
    first_offer = conn.execute("SELECT coalesce(max(id), 0) FROM financing_offers").fetchone()[0] + 1
    kinds = rng.choice(4, f, p=[0.6, 0.2, 0.1, 0.1]).tolist()
    statuses = ["open", "accepted", "disbursed", "withdrawn"]
    amounts = (rng.integers(5, 300, f) * 10).tolist()
    ages = rng.integers(0, 180 * 24 * 3600, f).tolist()
    groups = json.dumps(["基本信息", "经营财务", "资质信用"], ensure_ascii=False)
    routes, offers = [], []
    route_id, offer_id = first_route, first_offer

    def requests():
        nonlocal route_id, offer_id
        for k in range(f):
            rid, eid = first + k, firms[0] + (k * 53) % n_firms
            status = statuses[kinds[k]]
            created = NOW - timedelta(seconds=ages[k])
            amount = f"{amounts[k]}.00"
            yield (
                rid, eid, None, amount, 12 + 12 * (k % 3), "流动资金周转，采购原材料", "信用", "0.0600", status,
                None, groups, "[]", (created + timedelta(days=90)).date().isoformat(), None, None,
                created.isoformat(), created.isoformat(),
            )  # fmt: skip
            pair = (banks[k % len(banks)], banks[(k + 1) % len(banks)])
            for j, bank in enumerate(pair):
                if status == "open":
                    r_status = "pending" if j == 0 else "offered"
                elif status in ("accepted", "disbursed"):
                    r_status = "offered" if j == 0 else "closed"
                else:
                    r_status = "closed"
                deadline = (
                    created + timedelta(days=3) if status != "open" else NOW + timedelta(days=1 + k % 3)
                )
                routes.append(
                    (
                        route_id, rid, bank, product_of[bank], f"0.{8000 - (k % 3000):04d}", "[]", r_status,
                        created.isoformat(), deadline.isoformat(),
                        (created + timedelta(hours=5)).isoformat() if r_status == "offered" else None, "",
                    )
                )  # fmt: skip
                if r_status == "offered":
                    o_status = "open" if status == "open" else "accepted"
                    offers.append(
                        (
                            offer_id, rid, route_id, bank, amount, "0.0450", 12, "", (created + timedelta(days=30)).date(),
                            o_status, None, (created + timedelta(hours=5)).isoformat(),
                            (created + timedelta(days=1)).isoformat() if o_status == "accepted" else None,
                        )
                    )  # fmt: skip
                    offer_id += 1
                route_id += 1

    req_cols = _cols(
        "id, enterprise_id, created_by_id, amount_wan, term_months, purpose, collateral, max_rate, status, "
        "consent_bank_ids, consent_groups, revoked_bank_ids, consent_until, consent_revoked_at, accepted_offer_id, "
        "created_at, updated_at"
    )
    _copy(conn, "financing_requests", req_cols, requests())
    route_cols = _cols(
        "id, request_id, bank_id, product_id, score, explanation, status, routed_at, deadline_at, responded_at, "
        "decline_reason"
    )
    _copy(conn, "financing_routes", route_cols, routes)
    offer_cols = _cols(
        "id, request_id, route_id, bank_id, amount_wan, rate, term_months, conditions_text, valid_until, status, "
        "created_by_id, created_at, decided_at"
    )
    _copy(conn, "financing_offers", offer_cols, offers)
    conn.execute(
        "UPDATE financing_requests r SET accepted_offer_id = o.id FROM financing_offers o "
        "WHERE o.request_id = r.id AND o.status = 'accepted' AND r.id >= %s",
        (first,),
    )
    return len(routes), len(offers)


def _messages(conn, total: int, firms: tuple[int, int], pols: tuple[int, int], demo_firm: int, rng) -> int:
    """Inbox messages: 5,000 (scaled) to the demo enterprise, the rest spread over the synthetic ones."""
    n_firms, n_pols = firms[1] - firms[0] + 1, pols[1] - pols[0] + 1
    demo_share = max(50, total // 2000)
    titles = {c: f"新政策推送：{c}类政策与您的企业匹配" for c in reference.POLICY_CATEGORIES}
    cats = list(titles)

    now = np.datetime64(NOW.replace(tzinfo=None), "s")
    body = "您的企业符合该政策的申报条件，点击查看详情。"

    def lines():
        # Formatted by hand (not _tsv per field): 10M rows is the one table where Python time dominates.
        done = 0
        while done < total:
            size = min(CHUNK, total - done)
            eids = firms[0] + rng.integers(0, n_firms, size)
            eids[: max(0, demo_share - done)] = demo_firm
            pids = (pols[0] + rng.integers(0, n_pols, size)).tolist()
            created = now - rng.integers(0, 365 * 24 * 3600, size).astype("timedelta64[s]")
            made = np.char.add(np.datetime_as_string(created, unit="s"), "Z").tolist()
            read = np.char.add(np.datetime_as_string(created + np.timedelta64(3, "h"), unit="s"), "Z")
            read = np.where(rng.random(size) < 0.7, read, "\\N").tolist()
            yield "".join(
                f"{e}\t{cats[p % len(cats)]}\t{titles[cats[p % len(cats)]]}\t{body}\t/policies/{p}\t{p}\t\\N\t{c}\t{r}\n"
                for e, p, c, r in zip(eids.tolist(), pids, made, read, strict=True)
            )
            done += size

    cols = [
        "enterprise_id",
        "category",
        "title",
        "body",
        "link",
        "policy_id",
        "dedupe_key",
        "created_at",
        "read_at",
    ]
    with conn.cursor() as cur, cur.copy(f"COPY notifications ({', '.join(cols)}) FROM STDIN") as copy:
        for chunk in lines():
            copy.write(chunk)
    return total


def main() -> None:
    """Recreate, migrate, seed the demo set, COPY the synthetic district, analyse; print seconds per step."""
    import psycopg

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="baoan")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    global NOW
    NOW = datetime.now(UTC).replace(microsecond=0)
    size = {k: max(10, int(v * args.scale)) for k, v in FULL.items()}
    rng = np.random.default_rng(args.seed)
    t0 = time.perf_counter()
    _recreate(args.db)
    _schema_and_demo(f"postgresql+psycopg://postgres@127.0.0.1:5432/{args.db}")
    print(f"schema + demo: {time.perf_counter() - t0:.1f} s", flush=True)
    with psycopg.connect(f"{BASE}/{args.db}") as conn:
        official = conn.execute("SELECT id FROM users WHERE username = 'official'").fetchone()[0]
        demo_firm = conn.execute("SELECT enterprise_id FROM users WHERE username = 'enterprise'").fetchone()[
            0
        ]
        t = time.perf_counter()
        firms = _enterprises(conn, size["enterprises"], rng)
        conn.commit()
        print(f"enterprises {firms[1] - firms[0] + 1}: {time.perf_counter() - t:.1f} s", flush=True)
        t = time.perf_counter()
        pols = _policies(conn, size["policies"], rng, official)
        conn.commit()
        print(f"policies {pols[1] - pols[0] + 1}: {time.perf_counter() - t:.1f} s", flush=True)
        t = time.perf_counter()
        records = _applications(conn, size["applications"], firms, pols, rng, official)
        conn.commit()
        print(
            f"applications {size['applications']}, records {records}: {time.perf_counter() - t:.1f} s",
            flush=True,
        )
        t = time.perf_counter()
        routes, offers = _financing(conn, size["financing"], firms, rng)
        conn.commit()
        print(
            f"financing {size['financing']}, routes {routes}, offers {offers}: {time.perf_counter() - t:.1f} s",
            flush=True,
        )
        t = time.perf_counter()
        msgs = _messages(conn, size["messages"], firms, pols, demo_firm, rng)
        conn.commit()
        print(f"messages {msgs}: {time.perf_counter() - t:.1f} s", flush=True)
        for table in ("enterprises", "policies", "policy_revisions", "applications", "financing_requests"):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        for table in ("decision_records", "financing_routes", "financing_offers"):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        conn.commit()
        conn.autocommit = True
        t = time.perf_counter()
        conn.execute("VACUUM ANALYZE")
        print(f"vacuum analyze: {time.perf_counter() - t:.1f} s", flush=True)
    print(f"total: {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
