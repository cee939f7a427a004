"""Policy test cases: example enterprises with the outcome an official expects, run by the pure evaluator.

Pure: no Flask, no database. A case is {"name", "profile", "expect", "amount_wan"?}; `profile` is a partial
enterprise record (the import's fields, figures by year, approved_groups, loan fields), `expect` one of
pass / fail / unknown and `amount_wan` the amount expected when it passes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from portal import conditions as cond

# the case vocabulary is part of the exchange format, defined with its schema (the kernel imports no feature)
from portal.schema import CASE_EXPECTS as EXPECTS
from portal.schema import CASE_PROFILE_KEYS as PROFILE_KEYS
from portal.schema import MAX_CASES

__all__ = ["EXPECTS", "MAX_CASES", "PROFILE_KEYS"]
CASE_KEYS = ("name", "profile", "expect", "amount_wan")


def _case_problems(i: int, case: Any) -> list[str]:
    where = f"第{i}个测试用例"
    if not isinstance(case, Mapping):
        return [f"{where}应为对象"]
    problems = [f"{where}多余的键 {k}" for k in case if k not in CASE_KEYS]
    name = case.get("name", "")
    if not isinstance(name, str) or len(name) > 60:
        problems.append(f"{where}的 name 应为 60 字以内的文本")
    if case.get("expect") not in EXPECTS:
        problems.append(f"{where}的 expect 应为 pass、fail 或 unknown")
    profile = case.get("profile")
    if not isinstance(profile, Mapping):
        problems.append(f"{where}的 profile 应为对象（企业的部分数据）")
    else:
        unknown = sorted(k for k in profile if k not in PROFILE_KEYS)
        if unknown:
            problems.append(f"{where}的 profile 未知字段：" + "、".join(unknown))
    amount = case.get("amount_wan")
    if amount is not None:
        if isinstance(amount, bool) or not isinstance(amount, int | float | str | Decimal):
            problems.append(f"{where}的 amount_wan 应为数字（万元）")
        else:
            try:
                if cond.to_decimal(amount) < 0:
                    problems.append(f"{where}的 amount_wan 不能为负")
            except ValueError:
                problems.append(f"{where}的 amount_wan 应为数字（万元）")
        if case.get("expect") != cond.PASS:
            problems.append(f"{where}只有预期“符合”时才能填写 amount_wan")
    return problems


def normalize_cases(raw: Any) -> list[dict[str, Any]]:
    """Validate a list of test cases; raise ValueError naming every problem in Chinese."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ValueError("tests 应为测试用例列表")
    if len(raw) > MAX_CASES:
        raise ValueError(f"tests 最多 {MAX_CASES} 个测试用例")
    problems = [p for i, case in enumerate(raw, 1) for p in _case_problems(i, case)]
    if problems:
        raise ValueError("tests " + "；".join(problems))
    out = []
    for i, case in enumerate(raw, 1):
        item: dict[str, Any] = {
            "name": (case.get("name") or "").strip() or f"用例{i}",
            "profile": dict(case["profile"]),
            "expect": case["expect"],
        }
        if case.get("amount_wan") is not None:
            item["amount_wan"] = str(cond.to_decimal(case["amount_wan"]).quantize(Decimal("0.01")))
        out.append(item)
    return out


@dataclass(frozen=True)
class CaseOutcome:
    """One case run: what was expected, what came out, and the sentences that explain it."""

    name: str
    expect: str
    got: str
    expected_amount: Decimal | None
    amount: Decimal | None
    sentences: tuple[str, ...]
    problem: str = ""  # the profile itself could not be read (e.g. a bad date)

    @property
    def ok(self) -> bool:
        """The outcome (and, when stated, the amount) is as expected."""
        if self.problem or self.got != self.expect:
            return False
        return self.expected_amount is None or self.amount == self.expected_amount

    def summary(self) -> str:
        """One line for the editor: "用例 A：预期 符合，实际 不符合"."""
        said = f"预期 {EXPECTS[self.expect]}"
        got = f"实际 {EXPECTS.get(self.got, self.got)}"
        if self.expected_amount is not None:
            said += f" {self.expected_amount} 万元"
            got += f" {self.amount if self.amount is not None else '—'} 万元"
        return f"{self.name}：{said}，{got}" + (f"（{self.problem}）" if self.problem else "")


def run_case(conditions: Mapping, support: Mapping | None, case: Mapping, on: date) -> CaseOutcome:
    """Run one case on bound conditions (Policy.criteria) as of a day."""
    expected = case.get("amount_wan")
    expected_amount = None if expected is None else cond.to_decimal(expected).quantize(Decimal("0.01"))
    try:
        profile = cond.derive(case["profile"], on)
        results = cond.evaluate(conditions, profile)
    except (TypeError, ValueError, KeyError) as exc:
        return CaseOutcome(
            case["name"], case["expect"], "", expected_amount, None, (), f"数据无法读取：{exc}"
        )
    got = cond.verdict(results)
    sentences = [r.sentence for r in results]
    amount = None
    if got == cond.PASS and support:
        amount = cond.support_amount(support, profile)
        sentences.append(cond.explain_support(support, profile))
    return CaseOutcome(case["name"], case["expect"], got, expected_amount, amount, tuple(sentences))


def run_cases(
    conditions: Mapping, support: Mapping | None, cases: list[Mapping], on: date
) -> list[CaseOutcome]:
    """Run every case of a policy."""
    return [run_case(conditions, support, case, on) for case in cases or []]


def failing(outcomes: list[CaseOutcome]) -> list[CaseOutcome]:
    """The cases whose outcome is not the expected one."""
    return [o for o in outcomes if not o.ok]
