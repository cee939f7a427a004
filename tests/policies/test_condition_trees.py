"""Condition trees (all/any/not): the vectorised recommender equals the scalar engine pair for pair, unknown included."""

from __future__ import annotations

import random

import numpy as np

from portal import conditions as cond
from portal.policies import recommender as rec
from tests.policies.test_recommender import AS_OF, _random_condition, _random_record, policy


def _random_tree(r: random.Random, depth: int = 1) -> dict:
    """A random group: rows and, below the depth limit, nested all/any/not groups."""
    kind = r.choice(["all", "any", "any", "not"]) if depth > 1 else r.choice(["all", "any"])
    if kind == "not":
        child = (
            _random_tree(r, depth + 1)
            if depth < cond.MAX_DEPTH and r.random() < 0.3
            else _random_condition(r)
        )
        return {"not": child}
    nodes = []
    for _ in range(r.randrange(1 if kind == "any" else 0, 4)):
        nested = depth < cond.MAX_DEPTH and r.random() < 0.35
        nodes.append(_random_tree(r, depth + 1) if nested else _random_condition(r))
    return {kind: nodes}


def _vector_status(index: rec.PolicyIndex, table: rec.EnterpriseTable) -> np.ndarray:
    """Each (enterprise, policy) outcome as the vectorised path computes it: pass / fail / unknown."""
    snap = index._snap
    passed, known = snap.evaluate(table, slice(None))
    out = np.empty((len(table), len(snap.entries)), dtype=object)
    for j, e in enumerate(snap.entries):
        ids = list(e.cond_ids)
        p, k = passed[:, ids], known[:, ids]
        fail = (k & ~p).any(axis=1)
        unknown = (~k).any(axis=1)
        out[:, j] = np.where(fail, cond.FAIL, np.where(unknown, cond.UNKNOWN, cond.PASS))
    return out


def test_random_trees_vectorised_equals_scalar_pair_for_pair():
    r = random.Random(11)
    profiles = [cond.derive(_random_record(r, k), AS_OF) for k in range(300)]
    policies = []
    for k in range(80):
        tree = _random_tree(r)
        assert cond.validate(tree) == [], tree
        p = policy(f"T{k}", [])
        p["criteria"] = tree
        policies.append(p)
    index = rec.PolicyIndex(policies)
    table = rec.EnterpriseTable.from_profiles(profiles)
    got = _vector_status(index, table)
    statuses = set()
    for j, p in enumerate(policies):
        run = cond.matcher(p["criteria"])
        expected = [run(prof) for prof in profiles]
        statuses.update(expected)
        assert got[:, j].tolist() == expected, p["criteria"]
        # the explanation agrees with the matcher, and so do audience and the digest's pairs
        assert [cond.verdict(cond.evaluate(p["criteria"], prof)) for prof in profiles] == expected
        passing = [i for i, s in enumerate(expected) if s == cond.PASS]
        assert rec.audience(index, table, p["id"]).tolist() == passing
        assert rec.audience(p, table).tolist() == passing
    assert statuses == {cond.PASS, cond.FAIL, cond.UNKNOWN}  # the random mix exercises all three outcomes
    pairs = set()
    for pj, ri in rec.eligible_pairs(index, table, chunk=64):
        pairs.update(zip(pj.tolist(), ri.tolist(), strict=True))
    assert pairs == {
        (j, i) for i in range(len(profiles)) for j in range(len(policies)) if got[i, j] == cond.PASS
    }
    for prof in profiles[:40]:
        ranked = {i.policy_id for i in rec.recommend(index, prof, top=200).ranked}
        assert ranked == {p["id"] for p in policies if cond.matcher(p["criteria"])(prof) == cond.PASS}


def test_three_valued_logic_of_groups():
    have = {"field": "employees", "op": "gte", "value": 10}  # passes on 20 employees
    lack = {"field": "employees", "op": "lt", "value": 10}  # fails
    unknown = {"field": "revenue_wan", "op": "gte", "value": 1}  # revenue missing
    prof = cond.derive({"employees": 20}, AS_OF)
    table = [
        ({"all": [have, unknown]}, cond.UNKNOWN),
        ({"all": [lack, unknown]}, cond.FAIL),
        ({"any": [lack, unknown]}, cond.UNKNOWN),
        ({"any": [have, unknown]}, cond.PASS),
        ({"any": [lack, lack]}, cond.FAIL),
        ({"not": have}, cond.FAIL),
        ({"not": lack}, cond.PASS),
        ({"not": unknown}, cond.UNKNOWN),
        ({"all": [{"not": {"any": [lack, unknown]}}]}, cond.UNKNOWN),
        ({"all": []}, cond.PASS),
    ]
    for tree, expected in table:
        assert cond.matcher(tree)(prof) == expected, tree
        assert cond.verdict(cond.evaluate(tree, prof)) == expected, tree
        p = policy("X", [])
        p["criteria"] = tree
        index = rec.PolicyIndex([p])
        assert _vector_status(index, rec.EnterpriseTable.from_profiles([prof]))[0, 0] == expected, tree


def test_group_sentence_names_the_alternatives_and_flat_documents_are_unchanged():
    quals = {"field": "qualifications", "op": "contains_any", "value": ["国家高新技术企业"]}
    ratio = {"field": "rd_ratio", "op": "gte", "value": 0.04}
    tree = {"all": [{"field": "employees", "op": "gte", "value": 10}, {"any": [quals, ratio]}]}
    prof = cond.derive(
        {"employees": 20, "rd_expense_wan": 5, "revenue_wan": 100, "qualifications": []}, AS_OF
    )
    first, group = cond.evaluate(tree, prof)
    assert first.sentence == "从业人员 20 人，不低于 10 人 ✓"
    assert group.status == cond.PASS and group.op == "any" and len(group.children) == 2
    assert group.sentence == (
        "满足以下任一项（已满足 ✓）：资质：未持有 国家高新技术企业 ✗；研发投入占营业收入比重 5.00%，不低于 4% ✓"
    )
    assert group.as_dict()["children"][1]["status"] == cond.PASS
    flat = {"all": [{"field": "employees", "op": "gte", "value": 10}]}
    assert cond.normalize(flat) == flat and cond.leaves(tree) == [tree["all"][0], quals, ratio]
    assert cond.normalize({"field": "employees", "op": "gte", "value": 10}) == flat


def test_almost_eligible_names_the_failing_group():
    have = {"field": "employees", "op": "gte", "value": 10}
    group = {
        "any": [
            {"field": "employees", "op": "gte", "value": 100},
            {"field": "employees", "op": "lt", "value": 5},
        ]
    }
    p = policy("A", [have, group])
    found = rec.recommend(rec.PolicyIndex([p]), cond.derive({"employees": 20, "business_scope": ""}, AS_OF))
    assert found.ranked == [] and [a.condition for a in found.almost] == [group]
