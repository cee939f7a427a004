"""The one sample enterprise record of the pure tests (conditions, 秒批 rules, recommender), as an import feed has it.

A 宝安区 lithium-battery maker: R&D 310 / revenue 5230 ≈ 5.9 %, a national high-tech enterprise, good credit.
Tests add or override fields with `SAMPLE_RECORD | {...}`.
"""

from __future__ import annotations

SAMPLE_RECORD = {
    "uscc": "91440306MA52E87W2D",
    "registered_district": "宝安区",
    "industry_code": "C3841",
    "founded": "2019-05-12",
    "employees": 86,
    "revenue_wan": 5230.0,
    "assets_wan": 4100.0,
    "rd_expense_wan": 310.0,
    "tax_paid_wan": 180.0,
    "qualifications": ["国家高新技术企业"],
    "credit_ok": True,
}
