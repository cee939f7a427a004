"""政策问答: passages that answer the question, with the asker's own eligibility and a link; the pure ranker."""

from __future__ import annotations

import pytest

from portal.models import Role
from portal.policies import retrieval

RD_TEXT = (
    "为鼓励企业加大研发投入，对研发费用较高的企业给予资助。\n一、支持对象\n在宝安区注册的国家高新技术企业。\n"
    "二、申报条件\n上年度营业收入2000万元以上。\n三、支持标准\n按上年度研发费用的10%给予资助，最高200万元。\n"
    "四、申报材料\n研发费用专项审计报告。\n五、办理方式\n在线提交，20个工作日内办结。"
)
JOBS_TEXT = (
    "为稳定就业岗位，对稳岗企业给予补贴。\n一、支持对象\n在宝安区注册的企业。\n二、申报条件\n上年度未裁员。\n"
    "三、支持标准\n按从业人员每人500元给予补贴。\n四、申报材料\n社会保险缴费明细。\n五、办理方式\n秒批，即时办结。"
)


@pytest.fixture
def two_policies(create_policy):
    rd = create_policy(title="宝安区企业研发投入资助", text=RD_TEXT)
    jobs = create_policy(
        title="宝安区稳岗留工补贴",
        text=JOBS_TEXT,
        conditions={"all": [{"field": "employees", "op": "gte", "value": 5000}]},
        support={"kind": "fixed", "amount_wan": 3},
    )
    return rd, jobs


def _enterprise_user(create_user, create_enterprise):
    enterprise = create_enterprise()  # high-tech, revenue 5230, R&D 310: qualifies for the R&D policy
    return create_user(Role.ENTERPRISE, enterprise_id=enterprise.id)


def test_answer_names_the_passage_the_eligibility_and_links(
    client, auth, create_user, create_enterprise, two_policies
):
    rd, jobs = two_policies
    auth.login(_enterprise_user(create_user, create_enterprise))
    page = client.get("/ask/?q=研发费用能补多少？").get_data(as_text=True)
    first = page[page.index('data-testid="qa-answer"') :]
    assert f'href="/policies/{rd.id}"' in first[:400] and "支持标准" in first[:400]
    assert "按上年度研发费用的10%给予资助" in first[:800]
    assert "贵企业符合条件，预计 31.00 万元" in first[:1500]


def test_a_failing_policy_says_why(client, auth, create_user, create_enterprise, two_policies):
    _, jobs = two_policies
    auth.login(_enterprise_user(create_user, create_enterprise))
    page = client.get("/ask/?q=稳岗补贴要什么条件").get_data(as_text=True)
    first = page[page.index('data-testid="qa-answer"') :][:1500]
    assert "宝安区稳岗留工补贴" in first and "申报条件" in first
    assert "贵企业暂不符合" in first and "从业人员 120 人，未达到 5,000 人" in first


def test_staff_get_passages_without_eligibility_and_bad_input_is_refused(
    client, auth, create_user, two_policies
):
    auth.login(create_user("official"))
    page = client.get("/ask/?q=稳岗补贴怎么办理").get_data(as_text=True)
    assert "稳岗留工补贴</a> · 办理方式" in page and "秒批，即时办结" in page
    assert "贵企业" not in page and 'data-testid="qa-answer"' in page
    too_long = client.get("/ask/?q=" + "研" * 201)
    assert too_long.status_code == 400 and "问题不能超过 200 个字" in too_long.get_data(as_text=True)


def test_drafts_are_not_answered(client, auth, create_user, create_policy):
    create_policy(status="draft", title="宝安区草稿研发政策", text=RD_TEXT)
    auth.login(create_user("official"))
    page = client.get("/ask/?q=研发费用能补多少").get_data(as_text=True)
    assert "宝安区草稿研发政策" not in page and "没有找到回答这个问题的政策条文" in page


# ---------------------------------------------------------------- the pure ranker (no app)


def _chars(text: str) -> list[str]:
    """A tokenizer of character bigrams: enough for the pure tests, no jieba needed."""
    text = "".join(ch for ch in text if not ch.isspace())
    return [text[i : i + 2] for i in range(len(text) - 1)]


def test_split_passages_by_section():
    passages = retrieval.split_passages("1", "研发", RD_TEXT)
    assert [p.section for p in passages] == [
        "政策概述",
        "支持对象",
        "申报条件",
        "支持标准",
        "申报材料",
        "办理方式",
    ]
    assert passages[3].text == "按上年度研发费用的10%给予资助，最高200万元。"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("研发费用能补多少", "支持标准"),
        ("要什么条件", "申报条件"),
        ("要交哪些材料", "申报材料"),
        ("怎么申请", "办理方式"),
    ],
)
def test_intent(question, intent):
    assert retrieval.intent_of(question)[0] == intent


def test_policy_context_and_intent_beat_plain_bm25():
    passages = retrieval.split_passages("rd", "企业研发投入资助", RD_TEXT) + retrieval.split_passages(
        "jobs", "稳岗留工补贴", JOBS_TEXT
    )
    index = retrieval.Index(passages, _chars)
    question = "稳岗补贴多少钱"
    best = index.search(question, 5)[0].passage
    assert (best.policy_id, best.section) == ("jobs", "支持标准")
    assert retrieval.reciprocal_rank(index.search(question, 5), "jobs", "支持标准") == 1.0
    assert retrieval.reciprocal_rank(index.bm25_baseline(question, 5), "jobs", "支持标准") < 1.0
    assert index.search("的", 5) == [] or all(h.score > 0 for h in index.search("的", 5))
