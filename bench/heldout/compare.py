"""Compare the portal's text reader against the held-out encodings, policy by policy (black box: only the API).

For each policy in bench/heldout/policies.jsonl: read_policy(text, title) versus the hand-written criteria,
targets, support and instant. Conditions are matched field by field; a read condition that is written differently
but selects exactly the same firms among the 3,000 dev enterprises (e.g. size_class in [中型,小型,微型] vs ne 大型) is
reported as "equivalent form", not as a mismatch. Mismatches are printed with the source sentence: the reader's own
evidence for read conditions, the best-matching clause of the text for expected ones.

    .venv/bin/python bench/heldout/compare.py [--ids H-001,H-002] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from portal.conditions import derive, eligible  # noqa: E402
from portal.policies.text_conditions import read_policy  # noqa: E402

AS_OF = date(2026, 6, 30)

# words that tell which clause of a text a condition comes from (only to quote the source of a missing condition)
FIELD_WORDS = {
    "registered_district": ["注册", "登记", "区", "市"],
    "street": ["街道"],
    "industry_code": ["行业", "制造", "业", "企业"],
    "years_since_founded": ["成立", "年"],
    "employees": ["人", "职工", "员工", "从业"],
    "revenue_wan": ["营业收入", "营收", "销售额"],
    "assets_wan": ["资产"],
    "rd_expense_wan": ["研发费用", "研发投入"],
    "tax_paid_wan": ["纳税", "税收", "缴纳"],
    "rd_ratio": ["比重", "比例", "占", "%"],
    "size_class": ["中小", "小微", "中型", "小型", "微型", "大型", "划型"],
    "qualifications": ["企业", "资质", "认定", "称号", "上市"],
    "credit_ok": ["信用", "失信", "违法"],
}


def canon(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return Fraction(str(v))
    if isinstance(v, list):
        return tuple(sorted(canon(x) for x in v))
    return v


def key(c: dict):
    return (c["field"], c["op"], canon(c["value"]))


def fmt(c: dict) -> str:
    v = c["value"]
    v = "[" + ",".join(map(str, v)) + "]" if isinstance(v, list) else v
    return f"{c['field']} {c['op']} {v}"


def clauses(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"[。；;\n]", text) if s.strip()]


def locate(text: str, cond: dict) -> str:
    """Best-guess clause of the text stating an expected condition."""
    words = FIELD_WORDS.get(cond["field"], [])
    vals = cond["value"] if isinstance(cond["value"], list) else [cond["value"]]
    best, score = "", 0
    for s in clauses(text):
        sc = sum(2 for w in words if w in s)
        for v in vals:
            if isinstance(v, str) and v and (v in s or v[:2] in s):
                sc += 3
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                x = Fraction(str(v))
                forms = {str(v), str(int(x)) if x.denominator == 1 else "", f"{float(x * 100):g}%"}
                if x >= 10000 and x % 1000 == 0:
                    forms.add(f"{float(x / 10000):g}亿")
                if any(f and f in s for f in forms):
                    sc += 4
        if sc > score:
            best, score = s, sc
    return best


def passing(conds: list[dict], profiles) -> frozenset:
    return frozenset(i for i, p in enumerate(profiles) if eligible({"all": conds}, p))


def same_support(a: dict, b: dict) -> bool:
    if a is None or b is None:
        return a is b
    if set(a) != set(b):
        return False
    return all(canon(a[k]) == canon(b[k]) for k in a)


def compare(p: dict, profiles) -> dict:
    r = read_policy(p["text"], p["title"])
    got = list(r.conditions.get("all", []))
    exp = list(p["criteria"]["all"])
    ev = {}
    for e in r.evidence:
        ev.setdefault(json.dumps(e.condition, ensure_ascii=False, sort_keys=True), e.source)

    def src(c):
        return ev.get(json.dumps(c, ensure_ascii=False, sort_keys=True), "")

    out = {
        "id": p["id"],
        "title": p["title"],
        "missing": [],
        "extra": [],
        "wrong": [],
        "equivalent": [],
        "targets": [],
        "support": None,
        "instant": None,
        "unread": list(r.unread),
    }
    gk = {key(c) for c in got}
    ek = {key(c) for c in exp}
    rest_e = [c for c in exp if key(c) not in gk]
    rest_g = [c for c in got if key(c) not in ek]
    fields = {c["field"] for c in rest_e} | {c["field"] for c in rest_g}
    for f in sorted(fields):
        e_f = [c for c in rest_e if c["field"] == f]
        g_f = [c for c in rest_g if c["field"] == f]
        if e_f and g_f:
            # same firms selected on this field (all conditions of the field together)? then only the form differs
            e_all = [c for c in exp if c["field"] == f]
            g_all = [c for c in got if c["field"] == f]
            if passing(e_all, profiles) == passing(g_all, profiles):
                out["equivalent"].append(
                    {
                        "expected": [fmt(c) for c in e_f],
                        "read": [fmt(c) for c in g_f],
                        "sentence": src(g_f[0]) or locate(p["text"], e_f[0]),
                    }
                )
            else:
                out["wrong"].append(
                    {
                        "expected": [fmt(c) for c in e_f],
                        "read": [fmt(c) for c in g_f],
                        "sentence": src(g_f[0]) or locate(p["text"], e_f[0]),
                    }
                )
        elif e_f:
            for c in e_f:
                out["missing"].append({"expected": fmt(c), "sentence": locate(p["text"], c)})
        else:
            for c in g_f:
                out["extra"].append({"read": fmt(c), "sentence": src(c)})
    # effect on the 3,000 firms
    e_set, g_set = passing(exp, profiles), passing(got, profiles)
    out["eligible"] = {
        "expected": len(e_set),
        "read": len(g_set),
        "false_pos": len(g_set - e_set),
        "false_neg": len(e_set - g_set),
    }
    for part in ("industries", "qualifications"):
        a, b = set(p["targets"][part]), set(r.targets.get(part, []))
        if a != b:
            out["targets"].append(
                {
                    "part": part,
                    "expected": sorted(a),
                    "read": sorted(b),
                    "missing": sorted(a - b),
                    "extra": sorted(b - a),
                }
            )
    if not same_support(p["support"], r.support):
        out["support"] = {"expected": p["support"], "read": r.support}
    if bool(p["instant"]) != bool(r.instant):
        out["instant"] = {"expected": p["instant"], "read": r.instant}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ids", default="")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    policies = [json.loads(x) for x in (HERE / "policies.jsonl").open(encoding="utf-8")]
    if args.ids:
        wanted = set(args.ids.split(","))
        policies = [p for p in policies if p["id"] in wanted]
    firms = HERE / "enterprises.jsonl"
    profiles = [derive(json.loads(x), AS_OF) for x in firms.open(encoding="utf-8")]
    results = [compare(p, profiles) for p in policies]
    kinds = ("missing", "extra", "wrong", "targets", "support", "instant")
    totals = {k: 0 for k in kinds}
    exact = 0
    for res in results:
        bad = [k for k in kinds if res[k]]
        if not bad:
            exact += 1
        e = res["eligible"]
        print(
            f"== {res['id']} {res['title']}  eligible exp {e['expected']} read {e['read']} "
            f"(FP {e['false_pos']}, FN {e['false_neg']}){'  OK' if not bad else ''}"
        )
        for m in res["missing"]:
            totals["missing"] += 1
            print(f"  MISSING  {m['expected']:45s} | {m['sentence']}")
        for m in res["extra"]:
            totals["extra"] += 1
            print(f"  EXTRA    {m['read']:45s} | {m['sentence']}")
        for m in res["wrong"]:
            totals["wrong"] += 1
            print(
                f"  WRONG    expected {'; '.join(m['expected'])}  read {'; '.join(m['read'])} | {m['sentence']}"
            )
        for m in res["equivalent"]:
            print(f"  (equiv)  expected {'; '.join(m['expected'])}  read {'; '.join(m['read'])}")
        for m in res["targets"]:
            totals["targets"] += 1
            print(f"  TARGETS  {m['part']}: expected {m['expected']} read {m['read']}")
        if res["support"]:
            totals["support"] += 1
            print(f"  SUPPORT  expected {res['support']['expected']} read {res['support']['read']}")
        if res["instant"]:
            totals["instant"] += 1
            print(f"  INSTANT  expected {res['instant']['expected']} read {res['instant']['read']}")
        for u in res["unread"]:
            print(f"  (unread) {u}")
    fp = sum(r["eligible"]["false_pos"] for r in results)
    fn = sum(r["eligible"]["false_neg"] for r in results)
    print(
        f"\n{exact}/{len(results)} policies read exactly; mismatches: "
        + ", ".join(f"{k} {v}" for k, v in totals.items())
        + f"; eligible pairs: {fp} false positive, {fn} false negative"
    )
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
