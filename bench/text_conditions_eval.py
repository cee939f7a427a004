"""Score portal.policies.text_conditions against policies whose conditions are known.

    .venv/bin/python bench/text_conditions_eval.py [--policies P.jsonl] [--enterprises E.jsonl] [--qrels Q.tsv]
        [--as-of 2026-06-30] [--show-mismatches] [--json OUT]

Per policy: exact match of criteria (as a set of conditions), condition-level precision / recall, targets, support
and instant accuracy. Then eligibility agreement over every (enterprise, policy) pair: is the enterprise eligible
under the read conditions vs under the true ones (from qrels when given, else by evaluating the true criteria).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal import reference  # noqa: E402
from portal.policies.text_conditions import read_policy  # noqa: E402

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench" / "policy_match" / "dev"


def derive(enterprise: dict[str, Any], as_of: date) -> dict[str, Any]:
    """Return the profile with the derived fields (years_since_founded, rd_ratio, size_class)."""
    profile = dict(enterprise)
    profile["years_since_founded"] = reference.years_since(date.fromisoformat(enterprise["founded"]), as_of)
    revenue = reference.exact(enterprise["revenue_wan"])
    profile["rd_ratio"] = reference.exact(enterprise["rd_expense_wan"]) / revenue if revenue else Fraction(0)
    profile["size_class"] = reference.size_class(
        enterprise["industry_code"],
        enterprise["employees"],
        enterprise["revenue_wan"],
        enterprise["assets_wan"],
    )
    return profile


def holds(condition: dict[str, Any], profile: dict[str, Any]) -> bool:
    """Evaluate one condition exactly (SCHEMA.md semantics); an unknown field or op fails."""
    op, value = condition["op"], condition["value"]
    actual = profile.get(condition["field"])
    if actual is None:
        return False
    if op in ("gte", "gt", "lte", "lt"):
        a, v = reference.exact(actual), reference.exact(value)
        return {"gte": a >= v, "gt": a > v, "lte": a <= v, "lt": a < v}[op]
    if op == "eq":
        return actual == value
    if op == "ne":
        return actual != value
    if op == "in":
        return actual in value
    if op == "not_in":
        return actual not in value
    if op == "prefix_in":
        return any(str(actual).startswith(p) for p in value)
    if op == "contains_any":
        return any(q in actual for q in value)
    if op == "contains_all":
        return all(q in actual for q in value)
    if op == "not_contains_any":
        return not any(q in actual for q in value)
    return False


def eligible(criteria: dict[str, Any], profile: dict[str, Any]) -> bool:
    """Tell whether every condition holds."""
    return all(holds(c, profile) for c in criteria.get("all", []))


try:  # the portal's own evaluator (teammate H1); the local one above stays as a fallback and a cross-check
    from portal import conditions as portal_conditions  # noqa: E402
except ImportError:  # pragma: no cover
    portal_conditions = None


def _key(condition: dict[str, Any]) -> str:
    value = condition["value"]
    if isinstance(value, list):
        value = sorted(value)
    return json.dumps([condition["field"], condition["op"], value], ensure_ascii=False)


def _load_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(
    policies: list[dict[str, Any]], profiles: list[dict[str, Any]], truth: dict[tuple[str, str], bool] | None
):
    """Return (figures, mismatch lines)."""
    exact = same_reach = targets_ok = support_ok = instant_ok = 0
    c_tp = c_fp = c_fn = 0
    e_tp = e_fp = e_fn = e_tn = 0
    lines = []
    for policy in policies:
        reading = read_policy(policy["text"], policy.get("title", ""))
        mine = {_key(c) for c in reading.conditions["all"]}
        true = {_key(c) for c in policy["criteria"]["all"]}
        c_tp += len(mine & true)
        c_fp += len(mine - true)
        c_fn += len(true - mine)
        exact += mine == true
        t_ok = {k: sorted(v) for k, v in reading.targets.items()} == {
            k: sorted(v) for k, v in policy["targets"].items()
        }
        targets_ok += t_ok
        support_ok += reading.support == policy["support"]
        instant_ok += reading.instant == policy["instant"]
        p_fp = p_fn = 0
        for profile in profiles:
            got = eligible(reading.conditions, profile)
            want = (
                truth[(profile["uscc"], policy["id"])]
                if truth is not None
                else eligible(policy["criteria"], profile)
            )
            e_tp += got and want
            e_fp += got and not want
            e_fn += want and not got
            e_tn += not got and not want
            p_fp += got and not want
            p_fn += want and not got
        same_reach += p_fp == 0 and p_fn == 0
        problems = []
        if mine != true:
            problems.append(f"  extra   {sorted(mine - true)}\n  missing {sorted(true - mine)}")
        if not t_ok:
            problems.append(f"  targets {reading.targets} ≠ {policy['targets']}")
        if reading.support != policy["support"]:
            problems.append(f"  support {reading.support} ≠ {policy['support']}")
        if reading.instant != policy["instant"]:
            problems.append(f"  instant {reading.instant} ≠ {policy['instant']}")
        if problems:
            lines.append(
                f"{policy['id']} {policy.get('title', '')}  (pairs: +{p_fp} wrongly eligible, -{p_fn} missed)"
            )
            lines += problems
    n = len(policies)
    cp, cr, cf = _f1(c_tp, c_fp, c_fn)
    ep, er, ef = _f1(e_tp, e_fp, e_fn)
    figures = {
        "policies": n,
        "criteria_exact": exact / n,
        "criteria_same_reach": same_reach / n,  # read conditions select exactly the same enterprises
        "condition_precision": cp,
        "condition_recall": cr,
        "targets_accuracy": targets_ok / n,
        "support_exact": support_ok / n,
        "instant_accuracy": instant_ok / n,
        "pairs": e_tp + e_fp + e_fn + e_tn,
        "eligibility_precision": ep,
        "eligibility_recall": er,
        "eligibility_f1": ef,
        "eligibility_agreement": (e_tp + e_tn) / max(1, e_tp + e_fp + e_fn + e_tn),
    }
    return figures, lines


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures (and the mismatches with --show-mismatches)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policies", type=Path, default=BENCH / "policies.jsonl")
    parser.add_argument("--enterprises", type=Path, default=BENCH / "enterprises.jsonl")
    parser.add_argument(
        "--qrels", type=Path, default=None, help="labels; default: dev qrels for dev policies"
    )
    parser.add_argument("--as-of", default="2026-06-30")
    parser.add_argument("--show-mismatches", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    as_of = date.fromisoformat(args.as_of)
    policies = _load_jsonl(args.policies)
    records = _load_jsonl(args.enterprises)
    global eligible
    if portal_conditions is not None:
        problems = [
            (p["id"], msg)
            for p in policies
            for msg in portal_conditions.validate(read_policy(p["text"], p.get("title", "")).conditions)
        ]
        print(f"portal.conditions.validate: {len(problems)} problems in the read conditions {problems[:5]}")
        profiles = [portal_conditions.derive(e, as_of) for e in records]
        eligible = portal_conditions.eligible
        print("evaluator: portal.conditions")
    else:
        profiles = [derive(e, as_of) for e in records]
        print("evaluator: local")
    qrels = args.qrels
    if qrels is None and args.policies.resolve() == (BENCH / "policies.jsonl").resolve():
        qrels = BENCH / "qrels.tsv"
    truth = None
    if qrels:
        truth = {}
        for line in qrels.read_text(encoding="utf-8").splitlines()[1:]:
            uscc, pid, grade, _ = line.split("\t")
            truth[(uscc, pid)] = grade != "0"
        # the local evaluator must reproduce the labels from the true criteria, or the figures mean nothing
        wrong = sum(
            eligible(p["criteria"], e) != truth[(e["uscc"], p["id"])] for p in policies for e in profiles
        )
        print(f"evaluator check: {wrong} pairs where the true criteria disagree with the labels")
    figures, lines = score(policies, profiles, truth)
    if args.show_mismatches:
        print("\n".join(lines))
    for name, value in figures.items():
        print(f"{name:24s} {value:.4f}" if isinstance(value, float) else f"{name:24s} {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
