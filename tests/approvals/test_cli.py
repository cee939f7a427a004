"""`flask approvals decide-plan`: the 秒批 decisions of the dev benchmark agree with its labels exactly."""

from __future__ import annotations

import csv

from tests.shared_bench import DEV, needs_dev_set


@needs_dev_set
def test_decide_plan_matches_the_dev_labels(runner, tmp_path):
    out = tmp_path / "decisions.tsv"
    result = runner.invoke(
        args=[
            "approvals",
            "decide-plan",
            "--policies",
            str(DEV / "policies.jsonl"),
            "--enterprises",
            str(DEV / "enterprises.jsonl"),
            "--as-of",
            "2026-06-30",
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    with (DEV / "qrels.tsv").open(encoding="utf-8") as fh:
        labels = {(r["enterprise_uscc"], r["policy_id"]): r for r in csv.DictReader(fh, delimiter="\t")}
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert rows and {r["decision"] for r in rows} <= {"approve", "reject"}
    for row in rows:
        label = labels[(row["enterprise_uscc"], row["policy_id"])]
        assert (row["decision"] == "approve") == (label["grade"] != "0")
        if row["decision"] == "approve":
            assert row["amount_wan"] == label["amount_wan"]


def test_decide_plan_reports_a_bad_line(runner, tmp_path):
    policies = tmp_path / "p.jsonl"
    policies.write_text('{"id": "X", "instant": true}\nnot json\n', encoding="utf-8")
    result = runner.invoke(
        args=["approvals", "decide-plan", "--policies", str(policies), "--enterprises", str(policies),
              "--as-of", "2026-06-30", "--out", str(tmp_path / "o.tsv")]
    )  # fmt: skip
    assert result.exit_code != 0 and "第2行" in result.output
