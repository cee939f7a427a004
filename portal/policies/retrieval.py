"""政策问答 retrieval over policy passages: BM25 with policy context and question intent. Pure (no Flask, no DB).

A passage is one section of a policy text ("三、支持标准" and its lines) or its opening paragraph. Section bodies
are often alike across policies ("对符合条件的企业给予一次性奖励20万元"), so a passage alone rarely says which
policy it belongs to: the ranking adds the policy's own title and opening (what the question names) and the
question's intent (how much → 支持标准, what is required → 申报条件, …). `bm25_baseline` ranks passages alone.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

_HEADING = re.compile(r"^[一二三四五六七八九十]+、\s*(\S.*)$")
# Weights of the three signals (each 0..1 per question); set on the question set in bench/qa/, see bench/README.md.
OWN_WEIGHT, POLICY_WEIGHT, INTENT_WEIGHT = 1.0, 3.0, 1.0
_WORD = re.compile(r"[\w\u4e00-\u9fff]")
OPENING = "政策概述"

# Words of a question that say which section answers it (checked as substrings), and stop words of questions
# (they carry no content for matching): data, in portal/data/qa_words.json.
_WORDS = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "qa_words.json").read_text(encoding="utf-8")
)
INTENTS: dict[str, tuple[str, ...]] = {section: tuple(words) for section, words in _WORDS["intents"].items()}
STOP = frozenset(_WORDS["stop"])


@dataclass
class Passage:
    """One answerable piece of a policy: its section (or 政策概述) and text."""

    policy_id: str
    title: str
    section: str
    text: str


@dataclass
class Hit:
    """A ranked passage with its score."""

    passage: Passage
    score: float


def split_passages(policy_id: str, title: str, text: str) -> list[Passage]:
    """A policy text cut into its opening paragraph and one passage per numbered section."""
    passages: list[Passage] = []
    section, lines = OPENING, []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        heading = _HEADING.match(line)
        if heading:
            if lines:
                passages.append(Passage(policy_id, title, section, "\n".join(lines)))
            section, lines = heading.group(1).strip(), []
        else:
            lines.append(line)
    if lines:
        passages.append(Passage(policy_id, title, section, "\n".join(lines)))
    return passages


def _terms(tokens: Iterable[str]) -> list[str]:
    return [t for t in (t.strip().lower() for t in tokens) if t and _WORD.search(t) and t not in STOP]


class BM25:
    """Okapi BM25 over token lists (k1 1.5, b 0.75)."""

    def __init__(self, docs: list[list[str]], k1: float = 1.5, b: float = 0.75):
        self.docs = [Counter(d) for d in docs]
        self.lengths = [len(d) for d in docs]
        self.avg = (sum(self.lengths) / len(docs)) if docs else 0.0
        self.k1, self.b = k1, b
        df: Counter = Counter()
        for d in self.docs:
            df.update(d.keys())
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def score(self, query: list[str], index: int) -> float:
        """BM25 of one document for the query terms."""
        doc, length = self.docs[index], self.lengths[index]
        total = 0.0
        for term in query:
            tf = doc.get(term)
            if not tf:
                continue
            norm = tf * (self.k1 + 1) / (tf + self.k1 * (1 - self.b + self.b * length / (self.avg or 1)))
            total += self.idf.get(term, 0.0) * norm
        return total


def intent_of(question: str) -> list[str]:
    """The sections a question asks about, most specific first (empty: no clear intent)."""
    found = [
        (max(len(w) for w in words if w in question), name)
        for name, words in INTENTS.items()
        if any(w in question for w in words)
    ]
    return [name for _, name in sorted(found, reverse=True)]


@dataclass
class Index:
    """Passages with two BM25 indexes: passages alone, and each policy's title and opening."""

    passages: list[Passage]
    tokenize: Callable[[str], list[str]]
    _passage_bm25: BM25 = field(init=False)
    _policy_bm25: BM25 = field(init=False)
    _policy_row: dict[str, int] = field(init=False)

    def __post_init__(self):
        self._passage_bm25 = BM25([_terms(self.tokenize(f"{p.section}\n{p.text}")) for p in self.passages])
        context: dict[str, str] = {}
        for p in self.passages:
            # The title counts twice: it is what people call the policy by.
            context.setdefault(p.policy_id, f"{p.title}\n{p.title}")
            if p.section == OPENING:
                context[p.policy_id] += "\n" + p.text
        self._policy_row = {pid: i for i, pid in enumerate(context)}
        self._policy_bm25 = BM25([_terms(self.tokenize(text)) for text in context.values()])

    def bm25_baseline(self, question: str, k: int = 5) -> list[Hit]:
        """Plain BM25: passages ranked on their own text only."""
        query = _terms(self.tokenize(question))
        scored = [Hit(p, self._passage_bm25.score(query, i)) for i, p in enumerate(self.passages)]
        return _top(scored, k)

    def search(self, question: str, k: int = 5) -> list[Hit]:
        """Passages ranked by their own BM25, their policy's title/opening BM25 and the question's intent."""
        query = _terms(self.tokenize(question))
        if not query or not self.passages:
            return []
        policy_scores = [self._policy_bm25.score(query, i) for i in range(len(self._policy_row))]
        best_policy = max(policy_scores) or 1.0
        intents = intent_of(question)
        own_scores = [self._passage_bm25.score(query, i) for i in range(len(self.passages))]
        best_own = max(own_scores) or 1.0
        scored = []
        for i, p in enumerate(self.passages):
            own = own_scores[i] / best_own  # 0..1 within this question, like the policy score
            policy = policy_scores[self._policy_row[p.policy_id]] / best_policy
            bonus = 0.0
            if intents:
                if p.section == intents[0]:
                    bonus = 1.0
                elif p.section in intents:
                    bonus = 0.5
            elif p.section == OPENING:
                bonus = 0.3  # no clear intent: the opening says what the policy is for
            scored.append(Hit(p, OWN_WEIGHT * own + POLICY_WEIGHT * policy + INTENT_WEIGHT * bonus))
        return _top(scored, k)


def _top(hits: list[Hit], k: int) -> list[Hit]:
    ranked = sorted((h for h in hits if h.score > 0), key=lambda h: -h.score)
    return ranked[:k]


def reciprocal_rank(hits: list[Hit], policy_id: str, section: str) -> float:
    """1/rank of the passage (policy, section) among the hits, 0 when absent."""
    for rank, hit in enumerate(hits, start=1):
        if hit.passage.policy_id == policy_id and hit.passage.section == section:
            return 1.0 / rank
    return 0.0
