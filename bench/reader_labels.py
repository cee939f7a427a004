"""The labelling vocabulary of the reader's passage sets (bench/reader_real*/build.py): rows, groups, support
rules, and the list each build script fills and writes as passages.jsonl."""

from __future__ import annotations

import json
from pathlib import Path

GQ = "国家高新技术企业"
XJR = '专精特新"小巨人"企业'
ZJTX = "专精特新中小企业"
KJX = "科技型中小企业"
GS = "规模以上工业企业"
XE = "限额以上批发零售企业"


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
