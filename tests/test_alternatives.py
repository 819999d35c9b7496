"""The result page's first screen (advisor.domain.alternatives): plain functions on snapshots.

It only picks and orders sentences a snapshot saved, so the properties are checked over the
engine's output for all 243 answer combinations, and the tables pin the choices it makes.
"""

from __future__ import annotations

import pytest

from advisor.domain.alternatives import NO_SINGLE_ANSWER, ORDER, deciding_reasons, first_screen
from advisor.domain.engine import Approach, evaluate
from tests.test_engine import ALL_ANSWERS, combo_id

S, P, X = "strong", "partial", "poor"


def row(question: str, rag: str, fine_tuning: str, why: str = "") -> dict:
    return {
        "question": question,
        "question_title": question.title(),
        "rag": rag,
        "fine_tuning": fine_tuning,
        "why": why or f"{question}: {rag}/{fine_tuning}",
    }


@pytest.mark.parametrize("answers", ALL_ANSWERS, ids=combo_id)
def test_every_approach_is_set_beside_the_advice_with_a_saved_reason(answers):
    snapshot = evaluate(answers).to_dict()
    saved_sentences = {change["summary"] for change in snapshot["would_change"]}

    screen = first_screen(snapshot)

    assert [option.key for option in screen.alternatives] == [str(a) for a in ORDER]
    assert [option.key for option in screen.alternatives if option.recommended] == [
        snapshot["approach"]
    ]
    for option in screen.alternatives:
        if option.recommended:
            assert option.why_not == ""
        else:
            assert option.why_not in saved_sentences | {NO_SINGLE_ANSWER}
            leads_here = any(c["approach"] == option.key for c in snapshot["would_change"])
            assert (option.why_not != NO_SINGLE_ANSWER) == leads_here
    whys = {item["why"] for item in snapshot["rationale"]}
    assert set(screen.reasons) <= whys
    assert len(screen.reasons) <= 2


@pytest.mark.parametrize(
    ("chosen", "rationale", "expected"),
    [
        # Retrieval: its strong rows where fine-tuning is weaker, a poor fit for it first.
        (
            "rag",
            [row("a", S, P), row("b", S, S), row("c", S, X)],
            ("c: strong/poor", "a: strong/partial"),
        ),
        # A row where retrieval itself is weak never argues for it.
        ("rag", [row("a", P, X), row("b", S, S)], ()),
        # Fine-tuning: the mirror image.
        (
            "fine_tuning",
            [row("a", X, S), row("b", S, S), row("c", P, S)],
            ("a: poor/strong", "c: partial/strong"),
        ),
        # Both: the rows that are strong for both, in the table's order.
        (
            "rag_plus_fine_tuning",
            [row("a", S, S), row("b", S, X), row("c", S, S)],
            ("a: strong/strong", "c: strong/strong"),
        ),
        # Prompt engineering has no column: what holds fine-tuning back keeps prompts.
        (
            "prompt_engineering",
            [row("a", S, X), row("b", X, S), row("c", P, X)],
            ("a: strong/poor", "c: partial/poor"),
        ),
        # A key a newer release wrote is not guessed at.
        ("retrieval_v2", [row("a", S, X)], ()),
    ],
)
def test_the_deciding_reasons_are_the_rows_that_set_the_approach_apart(chosen, rationale, expected):
    assert deciding_reasons(chosen, rationale) == expected


def test_a_poor_fit_lists_the_questions_that_judged_it_so():
    snapshot = {
        "approach": "rag",
        "rationale": [row("cost", S, X), row("labels", S, X)],
        "would_change": [],
    }

    options = {option.key: option for option in first_screen(snapshot).alternatives}

    assert options["fine_tuning"].poor_fit_text == "Poor fit on “Cost” and “Labels”."
    assert options["rag_plus_fine_tuning"].poor_fit_text == "Poor fit on “Cost” and “Labels”."
    assert options["rag"].poor_fit_text == ""
    assert options["prompt_engineering"].poor_fit_text == ""


def test_the_first_saved_change_that_leads_to_an_approach_is_its_reason():
    first = "If the answer to “A” were “x”, the advice would change to Fine-tuning."
    second = "If the answer to “B” were “y”, the advice would change to Fine-tuning."
    snapshot = {
        "approach": "rag",
        "rationale": [],
        "would_change": [
            {"approach": "fine_tuning", "summary": first},
            {"approach": "fine_tuning", "summary": second},
        ],
    }

    options = {option.key: option for option in first_screen(snapshot).alternatives}

    assert options["fine_tuning"].why_not == first
    assert options["prompt_engineering"].why_not == NO_SINGLE_ANSWER


def test_each_approach_carries_its_own_figures_from_the_saved_estimate():
    report = {
        "horizon_months": 24,
        "curves": {
            "rag": {"cumulative": [10.0, 46032.9], "per_query": 0.000639},
            "fine_tuning": {"cumulative": [45862.0], "per_query": 0.000602},
        },
        "latency": {"rag": {"low_ms": 500, "high_ms": 1500}},
        "time_to_ship": {"rag": {"weeks": 6}, "fine_tuning": {"weeks": 22}},
    }
    snapshot = {"approach": "rag", "rationale": [], "would_change": [], "estimate": report}

    screen = first_screen(snapshot)
    figures = {option.key: option.figures for option in screen.alternatives}

    assert screen.horizon_months == 24
    assert figures["rag"].cost == "$46,032.90"
    assert figures["rag"].latency == "500\N{EN DASH}1,500 ms"
    assert figures["rag"].ship == "6 weeks"
    assert figures["fine_tuning"].ship == "22 weeks (about 5 months)"
    assert figures["fine_tuning"].latency == ""
    # An approach the report has nothing for shows no figures at all.
    assert not figures["prompt_engineering"]


def test_a_snapshot_without_numbers_has_no_figures_and_no_horizon():
    screen = first_screen({"approach": Approach.RAG.value, "rationale": [], "would_change": []})

    assert screen.horizon_months is None
    assert not any(option.figures for option in screen.alternatives)
