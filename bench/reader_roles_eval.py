"""Clause roles: the reader's rules against a learned classifier, on clauses labelled by hand.

    .venv/bin/python bench/reader_roles_eval.py

bench/reader_roles/clauses.jsonl holds every clause of bench/reader_real and bench/reader_real2 (as the reader
splits them) with its section kind and a hand-given role: requirement, exclusion, alternative, purpose, support,
question, other (headings, bare yes/no answers, the title applied for). The rules are the reader's own decisions
(question form, purpose lead, exclusion markers or section, 之一 lists, support prose, rows read or not); the learned
classifier is TF-IDF character 1–3-grams plus the section kind into a balanced LogisticRegression, scored by 5-fold
cross-validation grouped by passage (no passage's clauses in both train and test). Prints accuracy and macro-F1.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal.policies import text_conditions as tc  # noqa: E402

DATA = Path(__file__).resolve().parent / "reader_roles" / "clauses.jsonl"
_QUESTION = re.compile(r"(?:吗|么|能否|可否|是否|多少|哪些|什么|多久|怎么算|标准)$")
_MONEY = re.compile(tc._MONEY)


def rule_role(row: dict, previous: list[dict]) -> str:
    """The role the reader's rules give a clause (its section and the clauses before it in the passage)."""
    text = tc.normalise(row["text"])
    if _QUESTION.search(text):
        return "question"
    if tc._purpose_end(text) >= len(text):
        return "purpose"
    if row["section"] == "exclusion" or tc._EXCLUSION.search(text):
        return "exclusion"
    same = [p for p in previous if p["passage"] == row["passage"] and p["section"] == row["section"]]
    if tc._ONE_OF.search(text) or any(tc._ONE_OF.search(tc.normalise(p["text"])) for p in same):
        return "alternative"
    rows = tc._read_clause(text, row["text"], "宝安区")
    if rows and not (
        row["section"] == "support" and not tc._SUPPORT_REQUIREMENT.match(text) and "|" not in text
    ):
        return "requirement"
    if _MONEY.search(text) and re.search(tc._SUPPORT_VERBS + r"|贴息|最高", text):
        return "support"
    return "other" if not rows else "support"


def features(rows: list[dict]) -> list[str]:
    """Clause text with its section kind as a leading token the char n-grams see."""
    return [f"[{r['section']}] {r['text']}" for r in rows]


def main() -> int:
    """Print rule and learned figures side by side."""
    rows = [json.loads(x) for x in DATA.read_text(encoding="utf-8").splitlines() if x.strip()]
    truth = np.array([r["role"] for r in rows])
    rules = np.array([rule_role(r, rows[:i]) for i, r in enumerate(rows)])
    groups = np.array([r["passage"] for r in rows])
    learned = np.empty(len(rows), dtype=object)
    x = np.array(features(rows), dtype=object)
    for train, test in GroupKFold(n_splits=5).split(x, truth, groups):
        model = make_pipeline(
            TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True),
            LogisticRegression(max_iter=2000, class_weight="balanced", C=10.0),
        )
        model.fit(x[train], truth[train])
        learned[test] = model.predict(x[test])
    labels = sorted(set(truth))
    out = {"clauses": len(rows)}
    for name, got in (("rules", rules), ("learned_cv", learned)):
        out[name] = {
            "accuracy": round(accuracy_score(truth, got), 3),
            "macro_f1": round(f1_score(truth, got, labels=labels, average="macro", zero_division=0), 3),
            "per_role_f1": dict(
                zip(
                    labels,
                    (round(v, 2) for v in f1_score(truth, got, labels=labels, average=None, zero_division=0)),
                    strict=True,
                )
            ),
        }
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
