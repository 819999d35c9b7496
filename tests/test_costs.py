"""The cost, latency and time-to-ship model as plain functions: hand-worked figures, properties,
thresholds checked by recomputing, bad input, and purity.

No database and no Django: advisor.domain.costs is pure Python like the engine (the import
contract in pyproject.toml keeps it so). The formulas mirror docs/cost-model.md; when one
changes, both change together and COST_MODEL_VERSION is bumped.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from advisor.domain.costs import (
    COST_MODEL_VERSION,
    COSTED_APPROACHES,
    DEFAULT_SOURCES,
    ESTIMATE_FIELDS,
    FIELDS,
    HORIZON_MONTHS,
    HOURS_PER_MONTH,
    LIMITS,
    MINIMUMS,
    NUMERIC_FIELDS,
    PRICE_FIELDS,
    RETRIEVAL_MS,
    CostCurve,
    CostInputs,
    InvalidEstimate,
    LatencyBudget,
    LatencyVerdict,
    Milestone,
    Prices,
    Stage,
    break_even_month,
    break_even_volume,
    cheaper_over_horizon,
    cost_breakdown,
    cost_curves,
    cost_summary,
    defaults_for,
    estimate_report,
    horizon_cost,
    latency_budget,
    latency_budgets,
    sensitivity,
    time_to_ship,
    weeks_to_ship,
)
from advisor.domain.engine import Approach
from tests.prices import FOUR_O_AZURE, MINI_AZURE, MINI_NO_HOSTING

PE = Approach.PROMPT_ENGINEERING
RAG = Approach.RAG
FT = Approach.FINE_TUNING
BOTH = Approach.RAG_PLUS_FINE_TUNING


BASE = {
    "monthly_queries": 100_000,
    "prompt_tokens": 800,
    "context_tokens": 2_000,
    "output_tokens": 300,
    "vector_store_per_month": 70.0,
    "embedding_per_m": 0.02,
    "corpus_tokens": 5_000_000,
    "training_tokens": 2_000_000,
    "epochs": 3,
    "retrains_per_year": 4,
    "labelled_pairs_needed": 500,
    "labelling_cost_per_pair": 5.0,
}


def make(prices: Prices = MINI_AZURE, **changes) -> CostInputs:
    return CostInputs(prices=prices, **{**BASE, **changes})


# --- Hand-computed cases ----------------------------------------------------------------------


@dataclass(frozen=True)
class Hand:
    estimate: CostInputs
    pe_month: float
    rag_month_1: float
    rag_month_2: float
    rag_total: float
    ft_month_1: float
    ft_month_2: float
    ft_total: float
    rag_per_query: float
    ft_per_query: float
    volume: int | None
    month: int | None


HAND_CASES = [
    # Scaling product, GPT-4o mini on Azure with its $1.70 an hour hosting, some pairs in
    # hand (500 to build), data changing quarterly: 100,000 queries a month.
    pytest.param(
        Hand(
            estimate=make(),
            # prompt engineering: 100,000 x (800 x 0.15 + 300 x 0.60) / 1e6 = 100,000 x 300 / 1e6
            pe_month=100_000 * (800 * 0.15 + 300 * 0.60) / 1e6,  # = 30
            # RAG: corpus embedding 5,000,000 x 0.02 / 1e6 = 0.10 once, and every month
            #   tokens 100,000 x ((800 + 2,000) x 0.15 + 300 x 0.60) / 1e6 = 60
            #   + questions 100,000 x 800 x 0.02 / 1e6 = 1.60 + store 70
            #   + re-embedding 0.10 x 4 / 12 = 0.0333...          -> 131.6333...
            rag_month_2=100_000 * ((800 + 2000) * 0.15 + 300 * 0.60) / 1e6
            + 100_000 * 800 * 0.02 / 1e6
            + 70
            + 5_000_000 * 0.02 / 1e6 * 4 / 12,
            rag_month_1=0.10 + 131.633_333_333,
            rag_total=0.10 + 24 * 131.633_333_333,  # = 3,159.30
            # Fine-tuning: labelling 500 x 5 = 2,500 and a first run 2,000,000 x 3 x 3 / 1e6 = 18
            #   once; every month hosting 1.70 x 730 = 1,241 + tokens 100,000 x (800 x 0.30 +
            #   300 x 1.20) / 1e6 = 60 + retraining 18 x 4 / 12 = 6           -> 1,307
            ft_month_2=1.70 * 730 + 100_000 * (800 * 0.30 + 300 * 1.20) / 1e6 + 18 * 4 / 12,
            ft_month_1=500 * 5 + 2_000_000 * 3 * 3 / 1e6 + 1_307,  # = 3,825
            ft_total=2_518 + 24 * 1_307,  # = 33,886
            rag_per_query=131.633_333_333 / 100_000,
            ft_per_query=1_307 / 100_000,
            # Over 24 months RAG = 1,680.90 + 0.014784 Q (0.10 + 24 x 70.0333...; 24 x 616e-6)
            # and fine-tuning = 32,446 + 0.0144 Q (2,518 + 24 x 1,247; 24 x 600e-6), so
            # Q >= (32,446 - 1,680.90) / (0.014784 - 0.0144) = 30,765.1 / 0.000384 = 80,117,447.9
            volume=80_117_448,
            month=None,
        ),
        id="scaling-mini-azure-hosting",
    ),
    # High volume on GPT-4o mini through an API with no hosting fee, plenty of pairs, data
    # changing once a year: 2,000,000 queries a month.
    pytest.param(
        Hand(
            estimate=make(
                MINI_NO_HOSTING,
                monthly_queries=2_000_000,
                retrains_per_year=1,
                labelled_pairs_needed=0,
            ),
            pe_month=2_000_000 * (800 * 0.15 + 300 * 0.60) / 1e6,  # = 600
            # 2,000,000 x 600 / 1e6 = 1,200 + 2,000,000 x 800 x 0.02 / 1e6 = 32 + 70
            # + 0.10 x 1 / 12 = 0.00833...                                -> 1,302.00833...
            rag_month_2=1_200 + 32 + 70 + 0.10 / 12,
            rag_month_1=0.10 + 1_200 + 32 + 70 + 0.10 / 12,
            rag_total=0.10 + 24 * (1_302 + 0.10 / 12),  # = 31,248.30
            # no labelling, first run 18; each month 0 hosting + 2,000,000 x 600 / 1e6 = 1,200
            # + retraining 18 x 1 / 12 = 1.50                             -> 1,201.50
            ft_month_2=0 * 730 + 2_000_000 * (800 * 0.30 + 300 * 1.20) / 1e6 + 18 * 1 / 12,
            ft_month_1=18 + 1_201.50,
            ft_total=18 + 24 * 1_201.50,  # = 28,854
            rag_per_query=(1_302 + 0.10 / 12) / 2_000_000,
            ft_per_query=1_201.50 / 2_000_000,
            # fixed over 24 months: fine-tuning 18 + 24 x 1.50 = 54 against RAG's
            # 0.10 + 24 x (70 + 0.10 / 12) = 1,680.30, so fine-tuning wins at any volume
            volume=0,
            month=1,  # 18 + 1,201.50 = 1,219.50 <= 0.10 + 1,302.008 = 1,302.11
        ),
        id="high-volume-mini-no-hosting",
    ),
    # High volume on GPT-4o on Azure, no pairs yet (1,000 to build), yearly data change.
    pytest.param(
        Hand(
            estimate=make(
                FOUR_O_AZURE,
                monthly_queries=2_000_000,
                retrains_per_year=1,
                labelled_pairs_needed=1_000,
            ),
            pe_month=2_000_000 * (800 * 2.50 + 300 * 10.00) / 1e6,  # = 10,000
            # 2,000,000 x (2,800 x 2.50 + 300 x 10) / 1e6 = 20,000 + 32 + 70 + 0.10 / 12
            rag_month_2=2_000_000 * (2_800 * 2.50 + 300 * 10.00) / 1e6 + 32 + 70 + 0.10 / 12,
            rag_month_1=0.10 + 20_102 + 0.10 / 12,
            rag_total=0.10 + 24 * (20_102 + 0.10 / 12),  # = 482,448.30
            # once: labelling 1,000 x 5 = 5,000 + first run 2,000,000 x 3 x 25 / 1e6 = 150;
            # monthly: 1,241 + 2,000,000 x (800 x 3.75 + 300 x 15) / 1e6 = 15,000
            # + retraining 150 x 1 / 12 = 12.50                          -> 16,253.50
            ft_month_2=1.70 * 730 + 2_000_000 * (800 * 3.75 + 300 * 15.00) / 1e6 + 150 / 12,
            ft_month_1=5_150 + 16_253.50,  # = 21,403.50
            ft_total=5_150 + 24 * 16_253.50,  # = 395,234
            rag_per_query=(20_102 + 0.10 / 12) / 2_000_000,
            ft_per_query=16_253.50 / 2_000_000,
            # RAG = 1,680.30 + 24 x 0.010016 Q = 1,680.30 + 0.240384 Q;
            # fine-tuning = 5,150 + 24 x (1,241 + 12.50) + 24 x 0.0075 Q = 35,234 + 0.18 Q;
            # Q >= (35,234 - 1,680.30) / 0.060384 = 33,553.70 / 0.060384 = 555,672.03
            volume=555_673,
            # month 1: 21,403.50 > 20,102.11; month 2: 5,150 + 2 x 16,253.50 = 37,657
            # <= 0.10 + 2 x 20,102.008 = 40,204.12
            month=2,
        ),
        id="high-volume-4o-azure-no-pairs",
    ),
    # No retrieved context: RAG's tokens cost less per query than the tuned model's, and its
    # fixed costs are lower too, so fine-tuning never catches up.
    pytest.param(
        Hand(
            estimate=make(context_tokens=0),
            pe_month=30,
            # 100,000 x (800 x 0.15 + 300 x 0.60) / 1e6 = 30 + 1.60 + 70 + 0.0333...
            rag_month_2=30 + 1.60 + 70 + 0.10 * 4 / 12,
            rag_month_1=0.10 + 101.633_333_333,
            rag_total=0.10 + 24 * 101.633_333_333,  # = 2,439.30
            ft_month_2=1_307,
            ft_month_1=3_825,
            ft_total=33_886,
            rag_per_query=101.633_333_333 / 100_000,
            ft_per_query=1_307 / 100_000,
            # per query over 24 months: RAG 24 x 316e-6 < fine-tuning 24 x 600e-6
            volume=None,
            month=None,
        ),
        id="no-context-never",
    ),
]


@pytest.mark.parametrize("case", HAND_CASES)
def test_hand_computed_case(case: Hand):
    curves = cost_curves(case.estimate)
    pe, rag, ft = curves[PE], curves[RAG], curves[FT]
    approx = pytest.approx
    assert pe.upfront == 0
    assert pe.monthly == approx((case.pe_month,) * 24)
    assert pe.cumulative[-1] == approx(24 * case.pe_month)
    assert rag.monthly[0] == approx(case.rag_month_1)
    assert rag.monthly[1:] == approx((case.rag_month_2,) * 23)
    assert rag.cumulative[-1] == approx(case.rag_total)
    assert ft.monthly[0] == approx(case.ft_month_1)
    assert ft.monthly[1:] == approx((case.ft_month_2,) * 23)
    assert ft.cumulative[-1] == approx(case.ft_total)
    assert rag.per_query == approx(case.rag_per_query)
    assert ft.per_query == approx(case.ft_per_query)
    assert break_even_volume(case.estimate) == case.volume
    assert break_even_month(case.estimate) == case.month


def test_hand_computed_upfront_and_breakdown():
    estimate = make()
    curves = cost_curves(estimate)
    assert curves[RAG].upfront == pytest.approx(5_000_000 * 0.02 / 1e6)  # 0.10
    assert curves[FT].upfront == pytest.approx(500 * 5 + 2_000_000 * 3 * 3 / 1e6)  # 2,518
    items = cost_breakdown(estimate)
    ft_running = {item.key: item.amount for item in items[FT].running}
    assert ft_running == pytest.approx(
        {"hosting": 1.70 * HOURS_PER_MONTH, "inference": 60.0, "retraining": 6.0}
    )
    rag_running = {item.key: item.amount for item in items[RAG].running}
    assert rag_running == pytest.approx(
        {
            "inference": 60.0,
            "question_embedding": 1.60,
            "vector_store": 70.0,
            "re_embedding": 0.1 / 3,
        }
    )
    for approach, breakdown in items.items():
        curve = curves[approach]
        assert sum(item.amount for item in breakdown.upfront) == pytest.approx(curve.upfront)
        assert sum(item.amount for item in breakdown.running) == pytest.approx(curve.monthly[1])


def test_hosting_alone_is_about_1200_dollars_a_month():
    # The figure: $1.70 an hour is roughly $1,200 a month, used or not.
    hosting = {item.key: item.amount for item in cost_breakdown(make())[FT].running}["hosting"]
    assert hosting == pytest.approx(1_241)
    assert cost_curves(make(monthly_queries=0))[FT].monthly[1] == pytest.approx(1_241 + 6)


def test_cumulative_is_upfront_plus_months_of_running():
    curves = cost_curves(make())
    assert tuple(curves) == COSTED_APPROACHES == (PE, RAG, FT)
    curve = curves[FT]
    assert len(curve.monthly) == len(curve.cumulative) == HORIZON_MONTHS == 24
    assert curve.cumulative == pytest.approx(tuple(2_518 + m * 1_307 for m in range(1, 25)))
    assert curve.total == curve.cumulative[-1]


def test_zero_queries_cost_per_query_is_zero():
    curves = cost_curves(make(monthly_queries=0))
    assert {a: c.per_query for a, c in curves.items()} == {PE: 0.0, RAG: 0.0, FT: 0.0}
    assert curves[PE].cumulative[-1] == 0
    # with no queries RAG still pays its store (70 + 0.0333 a month) and fine-tuning its host
    assert curves[RAG].monthly[1] == pytest.approx(70 + 0.1 / 3)


def test_hand_computed_sensitivity():
    # Case "scaling-mini-azure-hosting": fine-tuning costs 33,886 - 3,159.30 = 30,726.70
    # more over 24 months.
    thresholds = {t.field: t for t in sensitivity(make())}
    assert set(thresholds) == {
        "monthly_queries",
        "context_tokens",
        "vector_store_per_month",
        "embedding_per_m",
        "corpus_tokens",
        "input_per_m",
        "output_per_m",
    }
    queries = thresholds["monthly_queries"]
    assert queries.value == 80_117_448 == break_even_volume(make())
    assert queries.summary == (
        "Fine-tuning becomes cheaper than RAG at 80,117,448 or more queries a month."
    )
    assert (queries.direction, queries.cheaper) == ("above", FT)
    # Each retrieved-context token adds 24 x 100,000 x 0.15 / 1e6 = 0.36 to RAG:
    # 2,000 + 30,726.70 / 0.36 = 87,351.9 -> 87,352
    assert thresholds["context_tokens"].value == 87_352
    # Each store dollar a month adds 24: 70 + 30,726.70 / 24 = 1,350.279...
    store = thresholds["vector_store_per_month"]
    assert store.value == pytest.approx(70 + 30_726.70 / 24)
    assert store.summary == (
        "Fine-tuning becomes cheaper than RAG if vector store hosting cost over $1,350.28 a month."
    )


def test_hosting_threshold_sentence():
    # Scaling product without pairs to build and with rare changes, 4o on Azure: fine-tuning
    # is dearer only because of hosting.
    estimate = make(
        FOUR_O_AZURE, monthly_queries=400_000, labelled_pairs_needed=0, retrains_per_year=1
    )
    thresholds = {t.field: t for t in sensitivity(estimate)}
    hosting = thresholds["hosting_per_hour"]
    # gap = (150 + 24 x (1,241 + 12.50 + 3,000)) - (0.10 + 24 x (4,000 + 6.40 + 70 + 0.10 / 12))
    #     = 102,234 - 97,833.90 = 4,400.10; each $1 an hour adds 24 x 730 = 17,520,
    # so hosting must fall under 1.70 - 4,400.10 / 17,520 = 1.4488...
    assert hosting.value == pytest.approx(1.70 - 4_400.10 / 17_520)
    assert hosting.direction == "below"
    assert hosting.summary == (
        "Fine-tuning becomes cheaper than RAG if hosting the tuned model cost under $1.44 an hour."
    )


@pytest.mark.parametrize(
    ("case", "summary"),
    [
        (
            HAND_CASES[0],
            "At 100,000 queries a month, your numbers put retrieval at $3,159 over 24 months "
            "against $33,886 for fine-tuning. Fine-tuning would pay for itself from 80,117,448 "
            "queries a month.",
        ),
        (
            HAND_CASES[1],
            "At 2,000,000 queries a month, your numbers put fine-tuning at $28,854 over 24 "
            "months against $31,248 for retrieval.",
        ),
        (
            HAND_CASES[2],
            "At 2,000,000 queries a month, your numbers put fine-tuning at $395,234 over 24 "
            "months against $482,448 for retrieval. It pays for itself from 555,673 queries a "
            "month.",
        ),
        (
            HAND_CASES[3],
            "At 100,000 queries a month, your numbers put retrieval at $2,439 over 24 months "
            "against $33,886 for fine-tuning. Fine-tuning does not pay for itself at any volume "
            "within that time.",
        ),
    ],
    ids=[case.id for case in HAND_CASES],
)
def test_cost_summary(case, summary):
    estimate = case.values[0].estimate
    assert cost_summary(estimate) == summary
    expected = FT if case.values[0].ft_total <= case.values[0].rag_total else RAG
    assert cheaper_over_horizon(estimate) is expected


def test_cost_summary_when_tuned_tokens_cost_more_per_query():
    # No hosting and no pairs: fine-tuning's fixed cost (18 + 24 x 6 = 162) is under RAG's
    # (1,680.90), but without context its tokens cost more (600e-6 against 316e-6 a query),
    # so RAG is cheaper above 1,518.90 / (24 x 284e-6) = 222,843 queries a month.
    estimate = make(
        MINI_NO_HOSTING, monthly_queries=1_000_000, context_tokens=0, labelled_pairs_needed=0
    )
    assert break_even_volume(estimate) == 0
    assert cheaper_over_horizon(estimate) is RAG
    assert cost_summary(estimate).endswith(
        "A tuned model costs more per query, so more traffic widens the gap."
    )


# --- Defaults ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "queries", "retrains", "pairs"),
    [
        (
            {"cost": "early_stage", "data_change": "frequent", "labeled_data": "none"},
            10_000,
            12,
            1_000,
        ),
        ({"cost": "scaling", "data_change": "occasional", "labeled_data": "some"}, 200_000, 4, 500),
        ({"cost": "high_volume", "data_change": "rare", "labeled_data": "plenty"}, 2_000_000, 1, 0),
        ({}, 200_000, 4, 500),
        ({"cost": "free", "data_change": ["x"], "labeled_data": None}, 200_000, 4, 500),
    ],
    ids=[
        "early-frequent-none",
        "scaling-occasional-some",
        "high-rare-plenty",
        "no-answers",
        "junk",
    ],
)
def test_defaults_follow_the_answers(answers, queries, retrains, pairs):
    defaults = defaults_for(answers, MINI_AZURE)
    assert defaults == {
        "monthly_queries": queries,
        "prompt_tokens": 800,
        "context_tokens": 2_000,
        "output_tokens": 300,
        "vector_store_per_month": 70.0,
        "embedding_per_m": 0.02,
        "corpus_tokens": 5_000_000,
        "training_tokens": 2_000_000,
        "epochs": 3,
        "retrains_per_year": retrains,
        "labelled_pairs_needed": pairs,
        "labelling_cost_per_pair": 5.0,
    }
    assert CostInputs(prices=MINI_AZURE, **defaults).monthly_queries == queries


def test_every_default_has_a_source():
    assert set(DEFAULT_SOURCES) == set(ESTIMATE_FIELDS)
    assert all(text.endswith(".") for text in DEFAULT_SOURCES.values())


def test_empty_mapping_gives_the_defaults():
    answers = {"cost": "high_volume", "data_change": "rare", "labeled_data": "plenty"}
    estimate = CostInputs.from_mapping({}, prices=MINI_AZURE, answers=answers)
    assert estimate == CostInputs(prices=MINI_AZURE, **defaults_for(answers, MINI_AZURE))
    assert CostInputs.from_mapping({}, prices=MINI_AZURE).monthly_queries == 200_000


def test_blank_fields_take_their_defaults():
    estimate = CostInputs.from_mapping(
        {"monthly_queries": "", "epochs": None, "input_per_m": "  "}, prices=MINI_AZURE
    )
    assert (estimate.monthly_queries, estimate.epochs) == (200_000, 3)
    assert estimate.prices == MINI_AZURE


# --- Reading form and JSON input --------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1500", 1_500),
        (" 1500 ", 1_500),
        ("200,000", 200_000),
        ("2,000,000", 2_000_000),
        ("2e6", 2_000_000),
        ("1500.0", 1_500),
        (1_500, 1_500),
        (1_500.0, 1_500),
        (Decimal("1500"), 1_500),
        ("+7", 7),
    ],
)
def test_from_mapping_reads_whole_numbers(raw, expected):
    estimate = CostInputs.from_mapping({"monthly_queries": raw}, prices=MINI_AZURE)
    assert estimate.monthly_queries == expected
    assert type(estimate.monthly_queries) is int


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.15", 0.15),
        (".5", 0.5),
        ("1,234.50", 1_234.5),
        ("12", 12.0),
        (3, 3.0),
        (Decimal("0.02"), 0.02),
    ],
)
def test_from_mapping_reads_money(raw, expected):
    estimate = CostInputs.from_mapping({"labelling_cost_per_pair": raw}, prices=MINI_AZURE)
    assert estimate.labelling_cost_per_pair == expected
    assert type(estimate.labelling_cost_per_pair) is float


@pytest.mark.parametrize(
    ("field", "raw", "message"),
    [
        (
            "monthly_queries",
            "abc",
            "Enter a number such as 1500 or 0.15 (commas only between thousands).",
        ),
        (
            "monthly_queries",
            "1,5",
            "Enter a number such as 1500 or 0.15 (commas only between thousands).",
        ),
        (
            "monthly_queries",
            "1,0000",
            "Enter a number such as 1500 or 0.15 (commas only between thousands).",
        ),
        (
            "monthly_queries",
            "1_000",
            "Enter a number such as 1500 or 0.15 (commas only between thousands).",
        ),
        (
            "monthly_queries",
            "NaN",
            "Enter a number such as 1500 or 0.15 (commas only between thousands).",
        ),
        (
            "monthly_queries",
            "inf",
            "Enter a number such as 1500 or 0.15 (commas only between thousands).",
        ),
        (
            "monthly_queries",
            "١٢٣",
            "Enter a number such as 1500 or 0.15 (commas only between thousands).",
        ),
        ("monthly_queries", "1e400", "This must be at most 10,000,000,000."),
        ("monthly_queries", "1e999999999", "This must be at most 10,000,000,000."),
        ("monthly_queries", "-5", "This cannot be negative."),
        ("monthly_queries", "12.5", "Enter a whole number."),
        ("monthly_queries", 12.5, "Enter a whole number."),
        ("monthly_queries", float("nan"), "Enter a finite number."),
        ("monthly_queries", float("inf"), "Enter a finite number."),
        (
            "monthly_queries",
            True,
            "Enter a number such as 1500 or 0.15 (commas only between thousands).",
        ),
        (
            "monthly_queries",
            [1],
            "Enter a number such as 1500 or 0.15 (commas only between thousands).",
        ),
        ("monthly_queries", 10**10 + 1, "This must be at most 10,000,000,000."),
        ("epochs", "0", "This must be at least 1."),
        ("epochs", "101", "This must be at most 100."),
        ("retrains_per_year", 366, "This must be at most 365."),
        ("prompt_tokens", 2_000_001, "This must be at most 2,000,000."),
        ("labelling_cost_per_pair", "-0.01", "This cannot be negative."),
        ("hosting_per_hour", "1e400", "This must be at most 10,000."),
        ("input_per_m", "10000.01", "This must be at most 10,000."),
        ("input_per_m", Decimal("NaN"), "Enter a finite number."),
    ],
)
def test_from_mapping_names_the_bad_field(field, raw, message):
    with pytest.raises(InvalidEstimate) as raised:
        CostInputs.from_mapping({field: raw}, prices=MINI_AZURE)
    assert raised.value.errors == {field: message}
    assert isinstance(raised.value, ValueError)


def test_from_mapping_names_every_fault_at_once():
    with pytest.raises(InvalidEstimate) as raised:
        CostInputs.from_mapping(
            {"monthly_queries": "lots", "epochs": 0, "colour": "blue", "hosting_per_hour": -1},
            prices=MINI_AZURE,
        )
    assert raised.value.errors == {
        "monthly_queries": "Enter a number such as 1500 or 0.15 (commas only between thousands).",
        "epochs": "This must be at least 1.",
        "hosting_per_hour": "This cannot be negative.",
        "colour": "Unknown field.",
    }
    assert "colour: Unknown field." in str(raised.value)


def test_from_mapping_refuses_what_is_not_a_mapping():
    with pytest.raises(InvalidEstimate) as raised:
        CostInputs.from_mapping(["monthly_queries", 5], prices=MINI_AZURE)
    assert set(raised.value.errors) == {"estimate"}


def test_price_overrides_are_marked_as_edited():
    estimate = CostInputs.from_mapping(
        {"hosting_per_hour": "0", "input_per_m": "0.15", "tuned_input_per_m": 0.25},
        prices=MINI_AZURE,
    )
    assert estimate.prices.hosting_per_hour == 0
    assert estimate.prices.tuned_input_per_m == 0.25
    # the same figure as the row is not an edit; the order is the table's
    assert estimate.prices.edited == ("tuned_input_per_m", "hosting_per_hour")
    assert estimate.prices.as_of == "2024-11-01"
    assert estimate.to_dict()["prices"]["edited"] == ["tuned_input_per_m", "hosting_per_hour"]


def test_from_mapping_round_trips_the_saved_inputs():
    estimate = make(FOUR_O_AZURE, monthly_queries=123_456, labelling_cost_per_pair=7.25)
    inputs = estimate.to_dict()
    prices = Prices(**{**inputs.pop("prices"), "edited": ()})
    assert CostInputs.from_mapping(inputs, prices=prices) == estimate
    assert (
        CostInputs.from_mapping({k: str(v) for k, v in inputs.items()}, prices=prices) == estimate
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("monthly_queries", -1, "This cannot be negative."),
        ("monthly_queries", True, "Enter a whole number."),
        ("monthly_queries", 100.0, "Enter a whole number."),
        ("monthly_queries", "100", "Enter a whole number."),
        ("monthly_queries", 10**400, "This must be at most 10,000,000,000."),
        ("vector_store_per_month", float("nan"), "Enter a finite number."),
        ("vector_store_per_month", float("-inf"), "Enter a finite number."),
        ("vector_store_per_month", "70", "Enter a number."),
        ("vector_store_per_month", None, "Enter a number."),
        ("vector_store_per_month", False, "Enter a number."),
        ("vector_store_per_month", 1e300, "This must be at most 1,000,000."),
        ("embedding_per_m", -0.01, "This cannot be negative."),
        ("epochs", 0, "This must be at least 1."),
        ("retrains_per_year", 1_000, "This must be at most 365."),
        ("labelled_pairs_needed", 10**9, "This must be at most 100,000,000."),
        ("corpus_tokens", 10**13, "This must be at most 1,000,000,000,000."),
    ],
)
def test_constructor_names_the_bad_field(field, value, message):
    with pytest.raises(InvalidEstimate) as raised:
        make(**{field: value})
    assert raised.value.errors == {field: message}


def test_constructor_names_every_bad_field_and_a_missing_price_row():
    with pytest.raises(InvalidEstimate) as raised:
        CostInputs(**{**BASE, "epochs": 0, "output_tokens": -3}, prices=None)
    assert raised.value.errors == {
        "output_tokens": "This cannot be negative.",
        "epochs": "This must be at least 1.",
        "prices": "Choose a model from the price table.",
    }


def test_limits_cover_every_numeric_field():
    assert set(LIMITS) == set(NUMERIC_FIELDS) == set(FIELDS)
    assert NUMERIC_FIELDS == ESTIMATE_FIELDS + PRICE_FIELDS
    assert LIMITS["monthly_queries"] == 10**10
    assert LIMITS["prompt_tokens"] == LIMITS["context_tokens"] == LIMITS["output_tokens"]
    assert LIMITS["prompt_tokens"] == 2_000_000
    assert {LIMITS[name] for name in PRICE_FIELDS} == {10_000}
    assert (MINIMUMS["epochs"], LIMITS["epochs"], LIMITS["retrains_per_year"]) == (1, 100, 365)
    # every bound is itself allowed
    for name in NUMERIC_FIELDS:
        assert make().with_value(name, LIMITS[name]).value_of(name) == LIMITS[name]
        assert make().with_value(name, MINIMUMS[name]).value_of(name) == MINIMUMS[name]


def test_prices_accept_the_price_tables_decimals_and_dates():
    prices = Prices(
        model="GPT-4o mini",
        as_of=date(2024, 11, 1),
        input_per_m=Decimal("0.1500"),
        output_per_m=Decimal("0.6000"),
        tuned_input_per_m=Decimal("0.3000"),
        tuned_output_per_m=Decimal("1.2000"),
        training_per_m=Decimal("3.0000"),
        hosting_per_hour=Decimal("1.7000"),
    )
    assert prices == replace_model(MINI_AZURE, "GPT-4o mini")
    assert type(prices.hosting_per_hour) is float


def replace_model(prices: Prices, model: str) -> Prices:
    return Prices(**{**prices.to_dict(), "model": model, "edited": ()})


def test_prices_name_every_bad_field():
    with pytest.raises(InvalidEstimate) as raised:
        Prices(
            model=" ",
            as_of="01/11/2024",
            input_per_m=-1,
            output_per_m=float("nan"),
            tuned_input_per_m="0.3",
            tuned_output_per_m=10_001,
            training_per_m=True,
            hosting_per_hour=1.7,
            edited=("colour",),
        )
    assert raised.value.errors == {
        "model": "Name the model these prices belong to.",
        "as_of": "Give the date the prices were recorded, as YYYY-MM-DD.",
        "input_per_m": "This cannot be negative.",
        "output_per_m": "Enter a finite number.",
        "tuned_input_per_m": "Enter a number.",
        "tuned_output_per_m": "This must be at most 10,000.",
        "training_per_m": "Enter a number.",
        "edited": (
            "List only price fields: input_per_m, cached_input_per_m, output_per_m, "
            "tuned_input_per_m, tuned_output_per_m, training_per_m, hosting_per_hour."
        ),
    }


def test_prices_refuse_an_impossible_date():
    impossible = {**MINI_AZURE.to_dict(), "as_of": "2024-02-30", "edited": ()}
    with pytest.raises(InvalidEstimate) as raised:
        Prices(**impossible)
    assert set(raised.value.errors) == {"as_of"}


# --- Latency ----------------------------------------------------------------------------------


def test_retrieval_with_rerank_adds_exactly_the_frameworks_200_to_800_ms():
    budget = latency_budget(rerank=True, target_ms=None)
    assert [s.name for s in budget.stages] == [
        "Embedding the question",
        "Vector search",
        "Reranking the results",
        "Reading the retrieved context",
    ]
    assert (budget.added_low_ms, budget.added_high_ms) == RETRIEVAL_MS == (200, 800)
    assert (budget.base.low_ms, budget.base.high_ms) == (300, 700)
    assert (budget.low_ms, budget.high_ms) == (500, 1_500)


def test_retrieval_without_rerank_adds_less():
    budget = latency_budget(rerank=False, target_ms=None)
    assert "Reranking the results" not in [s.name for s in budget.stages]
    assert (budget.added_low_ms, budget.added_high_ms) == (100, 400)
    assert budget.added_low_ms < 200
    assert budget.added_high_ms < 800


def test_fine_tuning_budget_is_the_model_alone():
    budgets = latency_budgets(rerank=True, target_ms=800)
    assert budgets[FT].stages == budgets[PE].stages == ()
    assert (budgets[FT].low_ms, budgets[FT].high_ms) == (300, 700)
    assert budgets[BOTH] == budgets[RAG]
    assert (budgets[RAG].added_low_ms, budgets[RAG].added_high_ms) == (200, 800)


@pytest.mark.parametrize(
    ("rerank", "target", "within", "verdict"),
    [
        (True, None, None, None),
        (True, 1_500, True, LatencyVerdict.WITHIN),
        (True, 1_499, False, LatencyVerdict.AT_RISK),
        (True, 500, False, LatencyVerdict.AT_RISK),
        (True, 499, False, LatencyVerdict.OVER),
        (False, 1_100, True, LatencyVerdict.WITHIN),
        (False, 1_000, False, LatencyVerdict.AT_RISK),
    ],
)
def test_latency_verdict_against_the_target(rerank, target, within, verdict):
    budget = latency_budget(rerank=rerank, target_ms=target)
    assert budget.within_target is within
    assert budget.verdict == verdict


@pytest.mark.parametrize("target", [0, -5, 600_001, 1.5, True, "800"])
def test_a_bad_latency_target_is_named(target):
    with pytest.raises(InvalidEstimate) as raised:
        latency_budget(rerank=False, target_ms=target)
    assert set(raised.value.errors) == {"target_ms"}


def test_a_budget_must_add_up():
    with pytest.raises(ValueError, match="low_ms"):
        LatencyBudget(Stage("Model", 1, 2), (Stage("Search", 1, 2),), 1, 4, None)
    with pytest.raises(ValueError, match="high_ms"):
        LatencyBudget(Stage("Model", 1, 2), (Stage("Search", 1, 2),), 2, 5, None)
    with pytest.raises(ValueError, match="low time"):
        Stage("Backwards", 10, 5)
    with pytest.raises(ValueError, match="milliseconds"):
        Stage("Negative", -1, 5)


stage_strategy = st.builds(
    lambda name, low, extra: Stage(name, low, low + extra),
    st.sampled_from(["a", "b", "c"]),
    st.integers(0, 5_000),
    st.integers(0, 5_000),
)


@settings(max_examples=100)
@given(
    rerank=st.booleans(),
    retrieval=st.booleans(),
    base=stage_strategy,
    embedding=stage_strategy,
    search=stage_strategy,
    rerank_stage=stage_strategy,
    context=stage_strategy,
    target=st.none() | st.integers(1, 40_000),
)
def test_hypothesis_latency_budget_sums(
    rerank, retrieval, base, embedding, search, rerank_stage, context, target
):
    budget = latency_budget(
        rerank=rerank,
        target_ms=target,
        retrieval=retrieval,
        base=base,
        embedding=embedding,
        search=search,
        rerank_stage=rerank_stage,
        context=context,
    )
    assert budget.low_ms == base.low_ms + sum(s.low_ms for s in budget.stages)
    assert budget.high_ms == base.high_ms + sum(s.high_ms for s in budget.stages)
    assert budget.added_low_ms == budget.low_ms - base.low_ms
    assert budget.added_high_ms == budget.high_ms - base.high_ms
    expected = (
        (embedding, search, rerank_stage, context) if rerank else (embedding, search, context)
    )
    assert budget.stages == (expected if retrieval else ())
    if target is not None:
        assert budget.within_target is (budget.verdict is LatencyVerdict.WITHIN)
        assert (budget.verdict is LatencyVerdict.OVER) is (budget.low_ms > target)


# --- Time to ship -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("approach", "labeled_data", "weeks", "steps"),
    [
        (PE, "none", 2, [2]),
        (PE, "plenty", 2, [2]),
        (RAG, "none", 6, [6]),
        (FT, "none", 28, [12, 16]),
        (FT, "some", 22, [6, 16]),
        (FT, "plenty", 16, [16]),
        (BOTH, "none", 34, [6, 12, 16]),
        (BOTH, "some", 28, [6, 6, 16]),
        (BOTH, "plenty", 22, [6, 16]),
    ],
)
def test_time_to_ship(approach, labeled_data, weeks, steps):
    milestones = time_to_ship(approach, labeled_data)
    assert [m.weeks for m in milestones] == steps
    assert weeks_to_ship(approach, labeled_data) == weeks
    assert all(isinstance(m, Milestone) and m.label for m in milestones)


def test_time_to_ship_sources():
    # The framework's figures: RAG live in about 6 weeks, fine-tuning 4+ months, a labelled set
    # 3+ months from nothing. Prompt engineering's 2 weeks and "some" pairs' 6 are ours.
    sources = {(m.label, m.weeks): m.source for m in time_to_ship(BOTH, "none")}
    assert set(sources.values()) == {"framework"}
    assert time_to_ship(PE, "none")[0].source == "assumption"
    assert time_to_ship(FT, "some")[0].source == "assumption"
    assert time_to_ship("rag", "some") == time_to_ship(RAG, "some")


def test_time_to_ship_refuses_an_unknown_labelled_data_answer():
    with pytest.raises(InvalidEstimate) as raised:
        time_to_ship(FT, "lots")
    assert raised.value.errors == {"labeled_data": "Choose one of: none, some, plenty."}


# --- Properties -------------------------------------------------------------------------------


def dollars(high: float) -> st.SearchStrategy[float]:
    return st.one_of(st.just(0.0), st.floats(0, high))


money = dollars(100)

prices_strategy = st.builds(
    Prices,
    model=st.just("Any model"),
    as_of=st.just("2025-06-01"),
    input_per_m=money,
    output_per_m=money,
    tuned_input_per_m=money,
    tuned_output_per_m=money,
    training_per_m=money,
    hosting_per_hour=dollars(10),
)

estimate_strategy = st.builds(
    CostInputs,
    monthly_queries=st.one_of(st.integers(0, 10**7), st.integers(0, 10**10)),
    prompt_tokens=st.integers(0, 20_000),
    context_tokens=st.integers(0, 20_000),
    output_tokens=st.integers(0, 5_000),
    prices=prices_strategy,
    vector_store_per_month=dollars(5_000),
    embedding_per_m=dollars(1),
    corpus_tokens=st.integers(0, 10**9),
    training_tokens=st.integers(0, 10**8),
    epochs=st.integers(1, 10),
    retrains_per_year=st.integers(0, 52),
    labelled_pairs_needed=st.integers(0, 100_000),
    labelling_cost_per_pair=dollars(50),
)


@settings(max_examples=100)
@given(estimate=estimate_strategy)
def test_hypothesis_costs_are_never_negative_and_cumulative_never_falls(estimate):
    for approach, curve in cost_curves(estimate).items():
        assert isinstance(curve, CostCurve)
        assert curve.approach is approach
        assert len(curve.monthly) == len(curve.cumulative) == HORIZON_MONTHS
        assert curve.upfront >= 0
        assert curve.per_query >= 0
        assert all(amount >= 0 for amount in curve.monthly)
        assert all(a <= b for a, b in zip(curve.cumulative, curve.cumulative[1:], strict=False))
        assert curve.monthly[0] >= curve.monthly[1]  # month 1 carries the upfront cost
        assert all(math.isfinite(amount) for amount in curve.cumulative)


@settings(max_examples=100)
@given(estimate=estimate_strategy, more=st.integers(0, 10**9))
def test_hypothesis_costs_grow_with_query_volume(estimate, more):
    bigger = estimate.with_value(
        "monthly_queries", min(LIMITS["monthly_queries"], estimate.monthly_queries + more)
    )
    low, high = cost_curves(estimate), cost_curves(bigger)
    for approach in low:
        assert all(
            a <= b for a, b in zip(low[approach].cumulative, high[approach].cumulative, strict=True)
        )
        assert horizon_cost(estimate, approach) <= horizon_cost(bigger, approach)


@settings(max_examples=100)
@given(estimate=estimate_strategy)
def test_hypothesis_break_even_volume_matches_the_curves(estimate):
    volume = break_even_volume(estimate)

    def gap(queries: int):  # fine-tuning minus RAG over the horizon, exact
        at = estimate.with_value("monthly_queries", queries)
        return horizon_cost(at, FT) - horizon_cost(at, RAG)

    if volume is None:
        # the lines never cross within the allowed volumes: fine-tuning dearer at both ends
        assert gap(0) > 0
        assert gap(int(LIMITS["monthly_queries"])) > 0
        return
    assert 0 <= volume <= LIMITS["monthly_queries"]
    assert gap(volume) <= 0
    curves = cost_curves(estimate.with_value("monthly_queries", volume))
    assert curves[FT].cumulative[-1] <= curves[RAG].cumulative[-1]
    if volume > 0:
        assert gap(volume - 1) > 0
        before = cost_curves(estimate.with_value("monthly_queries", volume - 1))
        assert before[FT].cumulative[-1] >= before[RAG].cumulative[-1]
    else:
        assert gap(0) <= 0


@settings(max_examples=100)
@given(estimate=estimate_strategy)
def test_hypothesis_break_even_month_matches_the_curves(estimate):
    month = break_even_month(estimate)
    curves = cost_curves(estimate)
    ft, rag = curves[FT].cumulative, curves[RAG].cumulative
    if month is None:
        assert cheaper_over_horizon(estimate) is RAG or ft[-1] == rag[-1]
    else:
        assert 1 <= month <= HORIZON_MONTHS
        assert ft[month - 1] <= rag[month - 1]
        assert all(f >= r for f, r in zip(ft[: month - 1], rag[: month - 1], strict=True))


@settings(max_examples=100)
@given(estimate=estimate_strategy)
def test_hypothesis_no_hosting_training_or_labelling_leaves_no_fixed_cost(estimate):
    bare = estimate.with_value("hosting_per_hour", 0)
    bare = bare.with_value("training_tokens", 0).with_value("labelled_pairs_needed", 0)
    curve = cost_curves(bare)[FT]
    assert curve.upfront == 0
    # every month is the tuned model's tokens and nothing else
    tokens = (
        bare.monthly_queries
        * (
            bare.prompt_tokens * bare.prices.tuned_input_per_m
            + bare.output_tokens * bare.prices.tuned_output_per_m
        )
        / 1e6
    )
    assert curve.monthly == pytest.approx((tokens,) * HORIZON_MONTHS)
    idle = cost_curves(bare.with_value("monthly_queries", 0))[FT]
    assert idle.monthly == (0.0,) * HORIZON_MONTHS
    assert idle.cumulative[-1] == 0
    # and with no fixed cost fine-tuning breaks even as soon as its tokens are no dearer
    assert break_even_volume(bare) == 0


def value_at(estimate: CostInputs, field: str, value) -> Approach:
    return cheaper_over_horizon(estimate.with_value(field, value))


def check_threshold(estimate: CostInputs, threshold) -> None:
    field, spec = threshold.field, FIELDS[threshold.field]
    now = cheaper_over_horizon(estimate)
    assert threshold.cheaper is not now
    assert spec.minimum <= threshold.value <= spec.maximum
    assert threshold.value != estimate.value_of(field)
    sign = 1 if threshold.direction == "above" else -1
    if spec.whole:
        past, before = threshold.value, threshold.value - sign
    else:
        step = max(abs(threshold.value) * 1e-9, 1e-12)
        past = min(max(threshold.value + sign * step, spec.minimum), spec.maximum)
        before = min(max(threshold.value - sign * step, spec.minimum), spec.maximum)
    assert value_at(estimate, field, past) is threshold.cheaper, threshold.summary
    assert value_at(estimate, field, before) is now, threshold.summary


@settings(max_examples=100)
@given(estimate=estimate_strategy)
def test_hypothesis_each_threshold_flips_the_cheaper_approach(estimate):
    thresholds = sensitivity(estimate)
    for threshold in thresholds:
        check_threshold(estimate, threshold)
        assert threshold.summary.endswith(".")
        assert threshold.summary.startswith(("Fine-tuning becomes", "RAG becomes"))
    # and no input left out could flip it within its limits (affine: test both ends), except
    # a dollar figure whose exact crossing rounds to the entered float itself
    assume(horizon_cost(estimate, FT) != horizon_cost(estimate, RAG))
    now = cheaper_over_horizon(estimate)
    listed = {t.field for t in thresholds}
    for field in set(NUMERIC_FIELDS) - listed:
        low, high = MINIMUMS[field], LIMITS[field]
        if value_at(estimate, field, low) is now and value_at(estimate, field, high) is now:
            continue
        assert not FIELDS[field].whole, field
        assert float(exact_crossing(estimate, field)) == estimate.value_of(field), field


def exact_crossing(estimate: CostInputs, field: str) -> Fraction:
    def gap(value) -> Fraction:
        at = estimate.with_value(field, value)
        return horizon_cost(at, FT) - horizon_cost(at, RAG)

    low, high = Fraction(MINIMUMS[field]), Fraction(LIMITS[field])
    at_low, at_high = gap(MINIMUMS[field]), gap(LIMITS[field])
    return low - at_low * (high - low) / (at_high - at_low)


@pytest.mark.parametrize("case", HAND_CASES)
def test_hand_case_thresholds_flip_the_cheaper_approach(case: Hand):
    for threshold in sensitivity(case.estimate):
        check_threshold(case.estimate, threshold)


# --- The report -------------------------------------------------------------------------------


def test_report_is_plain_json_with_every_part():
    estimate = make()
    report = estimate_report(
        estimate, rerank=True, target_ms=1_000, approach=RAG, labeled_data="some"
    )
    assert json.loads(json.dumps(report, allow_nan=False)) == report
    assert set(report) >= {
        "inputs",
        "curves",
        "break_even_volume",
        "break_even_month",
        "latency",
        "time_to_ship",
        "sensitivity",
    }
    assert report["inputs"] == {**BASE, "prices": {**MINI_AZURE.to_dict()}}
    assert report["inputs"]["prices"]["as_of"] == "2024-11-01"
    assert set(report["curves"]) == {"prompt_engineering", "rag", "fine_tuning"}
    rag = report["curves"]["rag"]
    assert rag["upfront"] == 0.1
    assert rag["monthly"][:2] == [131.73, 131.63]
    assert rag["cumulative"][-1] == 3_159.3
    assert rag["per_query"] == 0.001316
    assert report["curves"]["fine_tuning"]["cumulative"][-1] == 33_886.0
    assert (report["break_even_volume"], report["break_even_month"]) == (80_117_448, None)
    assert report["cheaper_over_horizon"] == "rag"
    assert report["summary"] == cost_summary(estimate)
    assert report["latency"]["rag"]["added_low_ms"] == 200
    assert report["latency"]["rag"]["added_high_ms"] == 800
    assert report["latency"]["rag"]["verdict"] == "at_risk"
    assert report["latency"]["fine_tuning"]["stages"] == []
    assert report["latency"]["fine_tuning"]["verdict"] == "within"
    assert report["time_to_ship"]["fine_tuning"]["weeks"] == 22
    assert report["time_to_ship"]["rag_plus_fine_tuning"]["milestones"][-1]["end_week"] == 28
    assert report["sensitivity"][0] == {
        "field": "monthly_queries",
        "value": 80_117_448,
        "summary": "Fine-tuning becomes cheaper than RAG at 80,117,448 or more queries a month.",
        "direction": "above",
        "cheaper": "fine_tuning",
    }
    assert report["approach"] == "rag"
    assert report["version"] == COST_MODEL_VERSION
    assert report["horizon_months"] == 24


@settings(max_examples=30)
@given(
    estimate=estimate_strategy,
    rerank=st.booleans(),
    labeled=st.sampled_from(["none", "some", "plenty"]),
)
def test_hypothesis_report_is_always_json(estimate, rerank, labeled):
    report = estimate_report(estimate, rerank=rerank, approach=FT, labeled_data=labeled)
    assert json.loads(json.dumps(report, allow_nan=False)) == report
