"""Exchange format v2: the JSON Schema files are current, the example files validate, v1 and v2 both load,
and the offline commands read both."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest

from portal import schema, services
from portal.extensions import db
from portal.policies import catalog
from portal.timeutil import today

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_DIR = ROOT / "docs" / "schema"
EXAMPLES = ROOT / "portal" / "static" / "examples"
FILES = {
    "enterprise.schema.json": ("enterprises.jsonl", "enterprises_v2.jsonl"),
    "policy.schema.json": ("policies.jsonl", "policies_v2.jsonl"),
}


def _validator(name: str) -> jsonschema.Draft202012Validator:
    document = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(document)
    return jsonschema.Draft202012Validator(document)


def _lines(name: str) -> list[dict]:
    return [json.loads(line) for line in (EXAMPLES / name).read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("name", sorted(schema.SCHEMAS))
def test_schema_files_are_generated_from_the_registry(name):
    on_disk = (SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert on_disk == schema.render(schema.SCHEMAS[name]), "regenerate: python -m portal.schema docs/schema"


@pytest.mark.parametrize(("name", "example"), [(n, f) for n, files in FILES.items() for f in files])
def test_example_files_validate_against_the_schema(name, example):
    validator = _validator(name)
    for k, line in enumerate(_lines(example), 1):
        problems = [e.message for e in validator.iter_errors(line)]
        assert problems == [], f"{example}:{k}: {problems}"


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("enterprise.schema.json", {"uscc": "91440306009000015D", "surprise": 1}),
        ("enterprise.schema.json", {"uscc": "91440306009000015D", "figures": {"25": {"revenue_wan": 1}}}),
        ("enterprise.schema.json", {"uscc": "91440306009000015D", "version": 3}),
        (
            "policy.schema.json",
            {
                "id": "X",
                "title": "t",
                "category": "其他",
                "criteria": {"all": [{"field": "revenue_wan", "op": "gte", "value": 1, "within_years": 3}]},
            },
        ),
        (
            "policy.schema.json",
            {
                "id": "X",
                "title": "t",
                "category": "其他",
                "criteria": {"field": "approved_groups", "op": "contains_all", "value": ["a"]},
            },
        ),
    ],
)
def test_schema_refuses_what_the_import_refuses(app, name, line):
    assert list(_validator(name).iter_errors(line)), "the schema accepts a line the portal refuses"
    if name == "enterprise.schema.json":
        assert services.import_enterprises([json.dumps(line)], source="t", on=today()).errors
    else:
        with pytest.raises(ValueError):
            catalog.parse_policy_row(line)


def test_v2_examples_import_with_figures_and_groups(app):
    data = (EXAMPLES / "enterprises_v2.jsonl").read_bytes()
    report = services.import_enterprises(io.BytesIO(data), source="示例", on=today())
    assert report.errors == [] and report.inserted == 2
    policies = catalog.import_policies(EXAMPLES / "policies_v2.jsonl", actor=None, on=today())
    db.session.commit()
    assert policies.errors == [] and policies.inserted == 2
    from portal.models import Enterprise
    from portal.policies.models import Policy

    groups = {p.code: p.group for p in db.session.scalars(db.select(Policy))}
    assert groups == {"EX-2026-101": "研发费用补贴", "EX-2026-102": "新升规奖励"}
    firm = db.session.scalars(db.select(Enterprise).order_by(Enterprise.uscc)).first()
    assert {f.year for f in firm.figures} == {2024, 2025} and firm.is_verified("figures")


def _run(runner, args: list[str], tmp_path: Path) -> list[list[str]]:
    out = tmp_path / "out.tsv"
    group = "approvals" if args[0] == "decide-plan" else "policies"
    result = runner.invoke(args=[group, *args, "--as-of", "2026-06-30", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()[1:]]


@pytest.mark.parametrize("version", ["", "_v2"])
def test_offline_commands_read_both_versions(runner, version, tmp_path):
    pols, ents = EXAMPLES / f"policies{version}.jsonl", EXAMPLES / f"enterprises{version}.jsonl"
    files = ["--policies", str(pols), "--enterprises", str(ents)]
    ranked = _run(runner, ["rank", *files, "--top", "5"], tmp_path)
    decided = _run(runner, ["decide-plan", *files], tmp_path)
    assert ranked and decided
    if version:
        # v2: the first firm crossed 2,000 万元 long ago (not a first crossing); the second did this year
        second = json.loads((EXAMPLES / "enterprises_v2.jsonl").read_text(encoding="utf-8").splitlines()[1])
        assert [r[1] for r in ranked if r[0] == second["uscc"]] == ["EX-2026-102"]
        # the 研发费用补贴 item is instant: the second firm pays tax in 南山区, so it is rejected
        outcomes = {(r[0], r[1]): r[2] for r in decided}
        assert outcomes[(second["uscc"], "EX-2026-101")] == "reject"
