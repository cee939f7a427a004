"""The labelling vocabulary of the reader's passage sets (bench/reader_real*/build.py): rows, groups, support
rules, and the list each build script fills and writes as passages.jsonl."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

GQ = "国家高新技术企业"
XJR = '专精特新"小巨人"企业'
ZJTX = "专精特新中小企业"
KJX = "科技型中小企业"
GS = "规模以上工业企业"
XE = "限额以上批发零售企业"
# the eleven classes of issue 12 and how many passages a 68-passage set gives each
ELEVEN_CLASSES = {
    "exclusion": 6,
    "negation_scope": 6,
    "alternative": 6,
    "tiers": 6,
    "non_requirement": 6,
    "place": 6,
    "credit": 6,
    "outside_heading": 6,
    "qa": 6,
    "vocabulary": 6,
    "plain": 8,
}


def r(field, op, value, **extra):
    """One condition row (extra keys such as within_years)."""
    return {"field": field, "op": op, "value": value, **extra}


def all_(*nodes):
    """An all group."""
    return {"all": list(nodes)}


def any_(*nodes):
    """An any group."""
    return {"any": list(nodes)}


def not_(node):
    """A not group."""
    return {"not": node}


def rd(district):
    """Registered in the district."""
    return r("registered_district", "eq", district)


def td(district):
    """Tax registered in the district."""
    return r("tax_district", "eq", district)


def od(district):
    """Actually operating in the district."""
    return r("operating_district", "eq", district)


def q(*names):
    """Holds any of the qualifications."""
    return r("qualifications", "contains_any", list(names))


def not_q(*names):
    """Holds none of the qualifications."""
    return r("qualifications", "not_contains_any", list(names))


def ind(*prefixes):
    """Industry under one of the GB/T 4754 prefixes."""
    return r("industry_code", "prefix_in", list(prefixes))


CREDIT = r("credit_ok", "eq", True)
NOT_OWN = r("approved_groups", "not_contains_any", ["@own"])


def fix(amount):
    """A fixed support rule."""
    return {"kind": "fixed", "amount_wan": amount}


def ratio(base, rate, cap=None, over=None, increase=False):
    """A ratio support rule."""
    return {
        "kind": "ratio",
        "base": base,
        "rate": rate,
        "cap_wan": cap,
        "over_wan": over,
        "increase": increase,
    }


def tiers(base, *pairs):
    """A tiers support rule."""
    return {"kind": "tiers", "base": base, "tiers": [{"gte": g, "amount_wan": a} for g, a in pairs]}


class Passages(list):
    """The labelled passages of one set, numbered with the set's letter (S-001, T-001 …)."""

    def __init__(self, letter: str) -> None:
        super().__init__()
        self.letter = letter

    def add(self, cls, style, title, text, tree, support, unread=()):
        """Append one labelled passage (unread: text the reader must report as 未能识别)."""
        self.append(
            {
                "id": f"{self.letter}-{len(self) + 1:03d}",
                "class": cls,
                "style": style,
                "title": title,
                "text": text,
                "expected": {"conditions": tree, "support": support, "unread": list(unread)},
            }
        )

    def write(self, script: str) -> None:
        """Write passages.jsonl beside the build script."""
        out = Path(script).with_name("passages.jsonl")
        out.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in self), encoding="utf-8")
        print(f"{len(self)} passages → {out}")

    def problems(self, classes: dict[str, int] | None = None, null_needs_unread: bool = True) -> list[str]:
        """Every reason the set must not be written ([] when it may): labels the portal's validators reject, a null
        support rule with no unread sentence (a rule from reader_real6 on), an unread piece not in the text or listed
        twice, class counts other than `classes` (when given), two passages with one text."""
        from portal import conditions  # the build script puts the project on sys.path

        out = []
        for p in self:
            e = p["expected"]
            out += [f"{p['id']} conditions: {m}" for m in conditions.validate(e["conditions"])]
            if e["support"] is None:
                if null_needs_unread and not e["unread"]:
                    out.append(f"{p['id']} support null without an unread piece")
            else:
                out += [f"{p['id']} support: {m}" for m in conditions.validate_support(e["support"])]
            out += [f"{p['id']} unread piece not in the text: {u}" for u in e["unread"] if u not in p["text"]]
            if len(set(e["unread"])) != len(e["unread"]):
                out.append(f"{p['id']} unread piece listed twice")
        counts = dict(Counter(p["class"] for p in self))
        if classes is not None and counts != classes:
            out.append(f"class counts {counts} != {classes}")
        out += [f"text used twice: {t[:30]}…" for t, n in Counter(p["text"] for p in self).items() if n > 1]
        return out

    def build(
        self, script: str, classes: dict[str, int] | None = None, null_needs_unread: bool = True
    ) -> int:
        """Write passages.jsonl beside the build script if the labels pass `problems`; else say why (exit code 1)."""
        found = self.problems(classes, null_needs_unread)
        if found:
            print("\n".join(found), file=sys.stderr)
            return 1
        self.write(script)
        return 0
