"""Real-shaped policy examples read end to end: what the portal stores and what an enterprise is told.

    .venv/bin/python bench/policy_examples.py [--out bench/results/policy_examples.md]

Each example is a short passage in a real notice's style (written for this script, not taken from a benchmark set),
read by the policy reader (portal.policies.text_conditions.read_policy) into the conditions tree and support rule
the editor would store, then evaluated by the portal's own evaluator (portal.conditions) for one sample enterprise:
the explanation sentences it sees, the verdict, and the amount with its reasoning. An example that names its 支持类别
(the group an official sets in the editor) has "本类" bound to it, as the portal does. Output is Markdown.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal import conditions as cond  # noqa: E402
from portal.policies.text_conditions import read_policy  # noqa: E402

AS_OF = date(2026, 6, 30)
BASE_FIRM = {
    "name": "示例企业",
    "registered_district": "宝安区",
    "tax_district": "宝安区",
    "operating_district": "宝安区",
    "industry_code": "F5261",
    "founded": "2016-04-01",
    "employees": 80,
    "qualifications": [],
    "credit_ok": True,
}

EXAMPLES = [
    (
        "限上商贸企业增长奖励（按行业分档的门槛：any of all）",
        "一、支持对象\n在宝安区注册的限额以上批发、零售、餐饮企业。\n二、申报条件\n"
        "（一）批发业企业上年度营业收入10亿元以上，零售业企业上年度营业收入1亿元以上，餐饮业企业上年度营业收入2000万元以上；\n"
        "（二）上年度营业收入增长10%以上。\n三、支持标准\n给予一次性奖励20万元。",
        BASE_FIRM
        | {
            "qualifications": ["限额以上批发零售企业"],
            "figures": {"2024": {"revenue_wan": 10000}, "2025": {"revenue_wan": 12000}},
        },
    ),
    (
        "规上工业企业首次达产奖励（分档：取达到的最高一档）",
        "一、申报条件\n在宝安区注册的规模以上工业企业，上年度营业收入首次达到1亿元。\n二、奖励标准\n"
        "上年度营业收入首次达到1亿元、5亿元、10亿元的，分别给予50万元、100万元、200万元奖励。",
        BASE_FIRM
        | {
            "industry_code": "C3982",
            "qualifications": ["规模以上工业企业"],
            "figures": {"2024": {"revenue_wan": 48000}, "2025": {"revenue_wan": 61000}},
        },
    ),
    (
        "研发投入补助（比例加上限，排除已获同类资助）",
        "一、申报条件\n（一）注册地、经营地、纳税地均在宝安区；\n（二）上年度研发费用占营业收入比重不低于5%；\n"
        "（三）近三年未获得过本区同类研发资助。\n二、支持标准\n按上年度研发费用的10%给予补助，最高200万元。",
        BASE_FIRM
        | {
            "industry_code": "I6513",
            "revenue_wan": 20000,
            "rd_expense_wan": 1500,
            "approved_groups": {"研发资助": ["2022-05-10"]},  # more than three years before AS_OF
        },
        "研发资助",
    ),
    (
        "专精特新企业认定奖励（资质之一，或研发与收入的组合）",
        "二、申报条件\n在宝安区依法注册，具有独立法人资格，且具备下列条件之一：\n"
        "1.获得国家级专精特新“小巨人”企业或国家高新技术企业认定；\n"
        "2.上年度研发费用占营业收入比重不低于4%，且营业收入5000万元以上。\n"
        "下列企业不予支持：被列入严重失信主体名单的企业。\n三、支持标准\n给予一次性奖励30万元。",
        BASE_FIRM | {"industry_code": "C3562", "revenue_wan": 8000, "rd_expense_wan": 400},
    ),
    (
        "稳岗扩岗补贴（按人计，超过部分）",
        "一、申报条件\n在宝安区注册，上年度从业人员50人以上，正常生产经营满2年。\n"
        "二、支持标准\n对上年度新增就业岗位，按每人2000元给予补贴，每家企业最高50万元。",
        BASE_FIRM,
    ),
]


def _results_lines(results: list[cond.Result], depth: int = 0) -> list[str]:
    marks = {cond.PASS: "✔", "fail": "✘", "unknown": "？"}
    lines = []
    for r in results:
        lines.append(f"{'  ' * depth}- {marks.get(r.status, r.status)} {r.sentence}")
        lines += _results_lines(list(r.children), depth + 1)
    return lines


def example_markdown(title: str, text: str, firm: dict, group: str = "") -> str:
    """One example: the passage, the stored conditions and support rule, and what the sample firm is told."""
    reading = read_policy(text, title)
    profile = cond.derive(firm, AS_OF)
    results = cond.evaluate(cond.bind_own(reading.tree, group), profile)
    out = [f"### {title}", "", "```text", text, "```", ""]
    out += [
        "Stored conditions:",
        "",
        "```json",
        json.dumps(reading.tree, ensure_ascii=False, indent=1),
        "```",
    ]
    out += ["", f"Stored support rule: `{json.dumps(reading.support, ensure_ascii=False)}`"]
    if group:
        out += [f"支持类别 (set in the editor): {group}"]
    if reading.support:
        out += [f"（{cond.describe_support(reading.support)}）"]
    if reading.unread:
        out += ["", "未能识别: " + "；".join(reading.unread)]
    out += [
        "",
        f"Sample firm (as of {AS_OF}): `{json.dumps(firm, ensure_ascii=False)}`",
        "",
        "What it sees:",
        "",
    ]
    out += _results_lines(results)
    out += ["", f"Verdict: **{cond.verdict(results)}**"]
    if reading.support and cond.verdict(results) == cond.PASS:
        out += [f"Amount: {cond.explain_support(reading.support, profile)}"]
    return "\n".join(out) + "\n"


def main() -> None:
    """Write the examples as Markdown (to stdout, or --out)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    text = "\n".join(example_markdown(*example) for example in EXAMPLES)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
