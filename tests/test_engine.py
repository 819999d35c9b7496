"""The decision engine as plain functions: rule tables, exhaustive properties, bad input.

No database and no Django: advisor.domain.engine and advisor.domain.questions are pure Python
(the import contract in pyproject.toml keeps them so). The tables mirror docs/decision-rules.md;
when a rule changes, both change together and RULES_VERSION is bumped.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.domain import engine
from advisor.domain.engine import (
    BLOCKER_REASONS,
    RETRIEVAL_LATENCY,
    RULES_VERSION,
    Answers,
    Approach,
    InvalidAnswers,
    Verdict,
    choose_approach,
    evaluate,
    fine_tuning_blocker,
)
from advisor.domain.questions import QUESTION_KEYS, QUESTIONS, question_for

PE = Approach.PROMPT_ENGINEERING
RAG = Approach.RAG
FT = Approach.FINE_TUNING
BOTH = Approach.RAG_PLUS_FINE_TUNING

S, P, X = Verdict.STRONG, Verdict.PARTIAL, Verdict.POOR

LATENCY_FIGURE = "200-800 ms"

SEED_EXAMPLE = {
    "problem": "knowledge",
    "data_change": "occasional",
    "latency": "async",
    "cost": "early_stage",
    "labeled_data": "none",
}

ALL_ANSWERS = [Answers(*combo) for combo in itertools.product(*(q.values for q in QUESTIONS))]


def combo_id(answers: Answers) -> str:
    return "-".join(answers.as_dict()[key] for key in QUESTION_KEYS)


def make(problem: str, data_change: str, latency: str, cost: str, labeled_data: str) -> Answers:
    return Answers(
        problem=problem,
        data_change=data_change,
        latency=latency,
        cost=cost,
        labeled_data=labeled_data,
    )


# --- The canonical questions -----------------------------------------------------------------


def test_question_keys_and_values_are_the_canonical_ones():
    assert QUESTION_KEYS == ("problem", "data_change", "latency", "cost", "labeled_data")
    assert {q.key: q.values for q in QUESTIONS} == {
        "problem": ("knowledge", "behavior", "both"),
        "data_change": ("frequent", "occasional", "rare"),
        "latency": ("realtime", "interactive", "async"),
        "cost": ("early_stage", "scaling", "high_volume"),
        "labeled_data": ("none", "some", "plenty"),
    }
    assert len(ALL_ANSWERS) == 243
    assert len({combo_id(a) for a in ALL_ANSWERS}) == 243


@pytest.mark.parametrize(
    ("approach", "value", "label", "uses_retrieval", "uses_fine_tuning"),
    [
        (PE, "prompt_engineering", "Prompt engineering", False, False),
        (RAG, "rag", "Retrieval (RAG)", True, False),
        (FT, "fine_tuning", "Fine-tuning", False, True),
        (BOTH, "rag_plus_fine_tuning", "Retrieval plus fine-tuning", True, True),
    ],
    ids=["prompt_engineering", "rag", "fine_tuning", "rag_plus_fine_tuning"],
)
def test_approach_values_labels_and_parts(approach, value, label, uses_retrieval, uses_fine_tuning):
    assert str(approach) == value
    assert approach.label == label
    assert Approach.label_of(value) == label
    assert (value, label) in Approach.choices()
    assert approach.uses_retrieval is uses_retrieval
    assert approach.uses_fine_tuning is uses_fine_tuning


def test_a_key_this_version_does_not_know_is_labelled_as_itself():
    # Saved snapshots and imported files may name an approach from a newer version.
    assert Approach.label_of("distillation") == "distillation"
    assert Approach.choices() == [(str(a), a.label) for a in Approach]


def test_there_are_exactly_four_approaches_and_three_verdicts():
    assert [str(a) for a in Approach] == [
        "prompt_engineering",
        "rag",
        "fine_tuning",
        "rag_plus_fine_tuning",
    ]
    assert [(str(v), v.label) for v in Verdict] == [
        ("strong", "Strong fit"),
        ("partial", "Partial fit"),
        ("poor", "Poor fit"),
    ]


# --- The approach rule, row by row -----------------------------------------------------------

# (problem, data_change, latency, cost, labeled_data) -> expected blocker, expected approach
APPROACH_ROWS = [
    # knowledge: retrieval, whatever the gate says
    pytest.param(
        "knowledge", "occasional", "async", "early_stage", "none", "no_labels", RAG,
        id="seed-example-listen2re",
    ),
    pytest.param(
        "knowledge", "frequent", "interactive", "scaling", "some", "not_enough_push", RAG,
        id="knowledge-frequent-change",
    ),
    pytest.param(
        "knowledge", "rare", "async", "scaling", "plenty", None, RAG,
        id="knowledge-gate-open-still-rag",
    ),
    pytest.param(
        "knowledge", "rare", "realtime", "high_volume", "plenty", None, RAG,
        id="knowledge-realtime-rare-gate-open-still-rag",
    ),
    # behavior: fine-tuning only through an open gate, otherwise prompts
    pytest.param(
        "behavior", "rare", "interactive", "scaling", "plenty", None, FT,
        id="behavior-open-plenty-and-rare",
    ),
    pytest.param(
        "behavior", "occasional", "async", "high_volume", "some", None, FT,
        id="behavior-open-push-high-volume",
    ),
    pytest.param(
        "behavior", "rare", "realtime", "scaling", "some", None, FT,
        id="behavior-open-push-rare",
    ),
    pytest.param(
        "behavior", "occasional", "interactive", "scaling", "plenty", None, FT,
        id="behavior-open-push-plenty",
    ),
    pytest.param(
        "behavior", "rare", "interactive", "high_volume", "none", "no_labels", PE,
        id="behavior-blocked-no-labels",
    ),
    pytest.param(
        "behavior", "frequent", "async", "high_volume", "plenty", None, FT,
        id="behavior-frequent-change-still-tunes-the-behaviour",
    ),
    pytest.param(
        "behavior", "rare", "async", "early_stage", "plenty", "early_stage", PE,
        id="behavior-blocked-early-stage",
    ),
    pytest.param(
        "behavior", "occasional", "interactive", "scaling", "some", "not_enough_push", PE,
        id="behavior-blocked-not-enough-push",
    ),
    # both: retrieval when blocked, retrieval plus fine-tuning when open, whatever the latency
    # and however often the data changes: the facts never go into the weights
    pytest.param(
        "both", "rare", "interactive", "scaling", "none", "no_labels", RAG,
        id="both-blocked-no-labels",
    ),
    pytest.param(
        "both", "frequent", "async", "high_volume", "plenty", None, BOTH,
        id="both-frequent-change-open",
    ),
    pytest.param(
        "both", "occasional", "interactive", "early_stage", "plenty", "early_stage", RAG,
        id="both-blocked-early-stage",
    ),
    pytest.param(
        "both", "occasional", "async", "scaling", "some", "not_enough_push", RAG,
        id="both-blocked-not-enough-push",
    ),
    pytest.param(
        "both", "rare", "realtime", "early_stage", "plenty", "early_stage", RAG,
        id="both-realtime-rare-but-blocked-is-rag",
    ),
    pytest.param(
        "both", "rare", "realtime", "scaling", "none", "no_labels", RAG,
        id="both-realtime-rare-no-labels-is-rag",
    ),
    pytest.param(
        "both", "frequent", "realtime", "high_volume", "plenty", None, BOTH,
        id="both-realtime-frequent-open",
    ),
    pytest.param(
        "both", "rare", "interactive", "scaling", "some", None, BOTH,
        id="both-open-interactive",
    ),
    pytest.param(
        "both", "occasional", "async", "scaling", "plenty", None, BOTH,
        id="both-open-async-plenty",
    ),
    pytest.param(
        "both", "occasional", "realtime", "high_volume", "some", None, BOTH,
        id="both-open-realtime-not-rare",
    ),
    pytest.param(
        "both", "rare", "realtime", "scaling", "some", None, BOTH,
        id="both-open-realtime-rare-keeps-retrieval",
    ),
    pytest.param(
        "both", "rare", "realtime", "high_volume", "plenty", None, BOTH,
        id="both-open-realtime-rare-high-volume-keeps-retrieval",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("problem", "data_change", "latency", "cost", "labeled_data", "blocker", "approach"),
    APPROACH_ROWS,
)
def test_approach_rule_table(problem, data_change, latency, cost, labeled_data, blocker, approach):
    answers = make(problem, data_change, latency, cost, labeled_data)
    assert fine_tuning_blocker(answers) == blocker
    assert choose_approach(answers) is approach
    assert evaluate(answers).approach is approach


def test_seed_example_gives_rag_with_its_full_explanation():
    result = evaluate(Answers.from_mapping(SEED_EXAMPLE))
    assert result.approach is RAG
    assert result.ladder_step is RAG
    assert result.headline == (
        "Use retrieval (RAG): the model is missing information, and retrieval supplies it "
        "at request time without changing the model."
    )
    assert [(f.question, f.answer, f.rag, f.fine_tuning) for f in result.factors] == [
        ("problem", "knowledge", S, P),
        ("data_change", "occasional", S, P),
        ("latency", "async", S, S),
        ("cost", "early_stage", S, X),
        ("labeled_data", "none", S, X),
    ]
    # Only the problem question can move this one off retrieval.
    assert [(c.question, c.answer, c.approach) for c in result.would_change] == [
        ("problem", "behavior", PE),
    ]
    assert LATENCY_FIGURE not in result.headline
    assert len(result.trade_offs) == 2


# --- The fine-tuning gate: four blockers, checked in order ------------------------------------


@pytest.mark.parametrize(
    ("data_change", "cost", "labeled_data", "blocker"),
    [
        # every blocker present at once: the first in order wins
        ("frequent", "early_stage", "none", "no_labels"),
        ("rare", "high_volume", "none", "no_labels"),
        ("frequent", "early_stage", "plenty", "early_stage"),
        ("frequent", "high_volume", "some", None),
        ("rare", "early_stage", "plenty", "early_stage"),
        ("occasional", "early_stage", "some", "early_stage"),
        ("occasional", "scaling", "some", "not_enough_push"),
        # a single push is enough to open the gate
        ("occasional", "scaling", "plenty", None),
        ("rare", "scaling", "some", None),
        ("occasional", "high_volume", "some", None),
        ("rare", "high_volume", "plenty", None),
    ],
    ids=[
        "all-blockers-no-labels-first",
        "no-labels-beats-every-push",
        "frequent-change-blocks-nothing-early-stage-does",
        "frequent-change-with-the-high-volume-push-is-open",
        "early-stage-beats-every-push",
        "early-stage-some-occasional",
        "only-not-enough-push",
        "push-plenty",
        "push-rare",
        "push-high-volume",
        "all-pushes",
    ],
)
def test_fine_tuning_blocker_order(data_change, cost, labeled_data, blocker):
    for problem in ("knowledge", "behavior", "both"):
        for latency in ("realtime", "interactive", "async"):
            answers = make(problem, data_change, latency, cost, labeled_data)
            assert fine_tuning_blocker(answers) == blocker


def test_counts_over_every_combination():
    approaches = Counter(choose_approach(a) for a in ALL_ANSWERS)
    assert approaches == {RAG: 132, PE: 51, FT: 30, BOTH: 30}
    blockers = Counter(fine_tuning_blocker(a) for a in ALL_ANSWERS)
    assert blockers == {
        "no_labels": 81,
        "early_stage": 54,
        "not_enough_push": 18,
        None: 90,
    }
    by_problem = Counter((a.problem, choose_approach(a)) for a in ALL_ANSWERS)
    assert by_problem == {
        ("knowledge", RAG): 81,
        ("behavior", PE): 51,
        ("behavior", FT): 30,
        ("both", RAG): 51,
        ("both", BOTH): 30,
    }


def test_blocker_reasons_cover_every_blocker():
    assert set(BLOCKER_REASONS) == {
        "no_labels",
        "early_stage",
        "not_enough_push",
    }
    assert all(reason.strip() for reason in BLOCKER_REASONS.values())


# --- Per-factor verdicts: the seed's quick-reference table ------------------------------------

# (question, answer) -> (RAG verdict, fine-tuning verdict) for a knowledge problem, except the
# special case below; where behaviour is tuned, data change rates both approaches strong.
EXPECTED_VERDICTS = {
    ("problem", "knowledge"): (S, P),
    ("problem", "behavior"): (P, S),
    ("problem", "both"): (P, P),
    ("data_change", "frequent"): (S, X),
    ("data_change", "occasional"): (S, P),
    ("data_change", "rare"): (S, S),
    ("latency", "realtime"): (P, S),
    ("latency", "interactive"): (S, S),
    ("latency", "async"): (S, S),
    ("cost", "early_stage"): (S, X),
    ("cost", "scaling"): (S, P),
    ("cost", "high_volume"): (P, S),
    ("labeled_data", "none"): (S, X),
    ("labeled_data", "some"): (S, P),
    ("labeled_data", "plenty"): (S, S),
}
HIGH_VOLUME_WITH_FREQUENT_CHANGE = (P, P)


def expected_verdicts(answers: Answers, key: str) -> tuple[Verdict, Verdict]:
    value = getattr(answers, key)
    knowledge = answers.problem == "knowledge"
    if key == "data_change" and not knowledge:
        return (S, S)
    if key == "cost" and value == "high_volume" and answers.data_change == "frequent" and knowledge:
        return HIGH_VOLUME_WITH_FREQUENT_CHANGE
    return EXPECTED_VERDICTS[(key, value)]


BASE = make("both", "occasional", "interactive", "scaling", "some")


@pytest.mark.parametrize(
    ("key", "value", "context", "rag", "fine_tuning"),
    [
        ("problem", "knowledge", {}, S, P),
        ("problem", "behavior", {}, P, S),
        ("problem", "both", {}, P, P),
        ("data_change", "frequent", {"problem": "knowledge"}, S, X),
        ("data_change", "occasional", {"problem": "knowledge"}, S, P),
        ("data_change", "rare", {"problem": "knowledge"}, S, S),
        ("data_change", "frequent", {}, S, S),
        ("data_change", "occasional", {"problem": "behavior"}, S, S),
        ("latency", "realtime", {}, P, S),
        ("latency", "interactive", {}, S, S),
        ("latency", "async", {}, S, S),
        ("cost", "early_stage", {}, S, X),
        ("cost", "scaling", {}, S, P),
        ("cost", "high_volume", {"data_change": "rare"}, P, S),
        ("cost", "high_volume", {"data_change": "occasional"}, P, S),
        ("cost", "high_volume", {"problem": "knowledge", "data_change": "frequent"}, P, P),
        ("cost", "high_volume", {"data_change": "frequent"}, P, S),
        ("cost", "scaling", {"problem": "knowledge", "data_change": "frequent"}, S, P),
        ("labeled_data", "none", {}, S, X),
        ("labeled_data", "some", {}, S, P),
        ("labeled_data", "plenty", {}, S, S),
    ],
    ids=[
        "knowledge-problem-rag-strong-ft-overkill",
        "behavior-problem-prompts-partial-ft-strong",
        "both-problem-each-partial",
        "frequent-change-rag-strong-ft-poor-for-knowledge",
        "occasional-change-ft-partial-for-knowledge",
        "rare-change-both-strong",
        "frequent-change-both-strong-where-behaviour-is-tuned",
        "occasional-change-both-strong-for-behaviour",
        "realtime-rag-partial-ft-strong",
        "interactive-both-strong",
        "async-both-strong",
        "early-stage-rag-strong-ft-poor",
        "scaling-ft-partial",
        "high-volume-stable-data-ft-strong",
        "high-volume-occasional-ft-strong",
        "high-volume-frequent-special-case-both-partial",
        "high-volume-frequent-behaviour-keeps-the-saving",
        "special-case-only-for-high-volume",
        "no-labels-ft-poor",
        "some-labels-ft-partial",
        "plenty-labels-ft-strong",
    ],
)
def test_factor_verdicts(key, value, context, rag, fine_tuning):
    answers = BASE
    for other_key, other_value in context.items():
        answers = answers.with_answer(other_key, other_value)
    answers = answers.with_answer(key, value)
    factor = {f.question: f for f in evaluate(answers).factors}[key]
    assert factor.answer == value
    assert factor.rag is rag
    assert factor.fine_tuning is fine_tuning
    assert factor.why.strip()


def test_high_volume_special_case_explains_the_retraining():
    answers = make("knowledge", "frequent", "interactive", "high_volume", "plenty")
    factor = evaluate(answers).factors[QUESTION_KEYS.index("cost")]
    assert (factor.rag, factor.fine_tuning) == (P, P)
    assert "retraining" in factor.why
    stable = evaluate(answers.with_answer("data_change", "rare")).factors[3]
    assert (stable.rag, stable.fine_tuning) == (P, S)
    assert stable.why != factor.why


def test_latency_factor_quotes_the_retrieval_cost():
    for latency in ("realtime", "interactive"):
        factor = evaluate(BASE.with_answer("latency", latency)).factors[2]
        assert RETRIEVAL_LATENCY in factor.why
    assert RETRIEVAL_LATENCY == LATENCY_FIGURE


# --- Headlines, one per branch -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "approach", "start"),
    [
        (
            make("behavior", "occasional", "interactive", "scaling", "some"),
            PE,
            "Start with prompt engineering: shape the behaviour",
        ),
        (
            make("knowledge", "rare", "interactive", "scaling", "plenty"),
            RAG,
            "Use retrieval (RAG): the model is missing information",
        ),
        (
            make("both", "occasional", "async", "scaling", "some"),
            RAG,
            "Use retrieval (RAG) for the missing information and prompts for the behaviour; "
            "hold off on fine-tuning, because",
        ),
        (
            make("behavior", "rare", "async", "scaling", "some"),
            FT,
            "Fine-tune for the behaviour: what falls short is how the model answers",
        ),
        (
            make("both", "rare", "realtime", "scaling", "some"),
            BOTH,
            "Combine retrieval and fine-tuning:",
        ),
        (
            make("both", "rare", "async", "scaling", "some"),
            BOTH,
            "Combine retrieval and fine-tuning:",
        ),
    ],
    ids=[
        "prompt-engineering",
        "rag-for-knowledge",
        "rag-for-both-while-blocked",
        "fine-tuning-for-behavior",
        "both-realtime-rare-still-combines",
        "rag-plus-fine-tuning",
    ],
)
def test_headline_branches(answers, approach, start):
    result = evaluate(answers)
    assert result.approach is approach
    assert result.headline.startswith(start)


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        (make("behavior", "rare", "async", "high_volume", "none"), "no_labels"),
        (make("both", "rare", "async", "early_stage", "plenty"), "early_stage"),
        (make("both", "occasional", "async", "scaling", "some"), "not_enough_push"),
    ],
    ids=["no_labels", "early_stage", "not_enough_push"],
)
def test_blocked_headline_gives_the_blocker_reason(answers, reason):
    headline = evaluate(answers).headline
    assert BLOCKER_REASONS[reason] in headline
    others = set(BLOCKER_REASONS) - {reason}
    assert not any(BLOCKER_REASONS[other] in headline for other in others)


# --- Exhaustive properties over all 243 combinations ------------------------------------------
# One test per property, one subtest per combination: a failure names its answers, and the
# report counts properties rather than 1,701 cases.


def test_approach_and_rationale_shape(subtests):
    for answers in ALL_ANSWERS:
        with subtests.test(combo_id(answers)):
            result = evaluate(answers)
            assert isinstance(result.approach, Approach)
            assert result.approach is choose_approach(answers)
            assert result.approach in set(Approach)
            assert tuple(f.question for f in result.factors) == QUESTION_KEYS
            for factor in result.factors:
                assert factor.answer == getattr(answers, factor.question)
                assert (factor.rag, factor.fine_tuning) == expected_verdicts(
                    answers, factor.question
                )
                assert factor.why.strip()
            expected_ladder = RAG if result.approach is BOTH else result.approach
            assert result.ladder_step is expected_ladder


def test_safety_rules(subtests):
    for answers in ALL_ANSWERS:
        with subtests.test(combo_id(answers)):
            approach = evaluate(answers).approach
            if answers.labeled_data == "none":
                assert not approach.uses_fine_tuning
            if answers.problem == "knowledge":
                assert approach is RAG
            if answers.problem != "behavior":
                # Knowledge reaches the model through retrieval, never through the weights.
                assert approach.uses_retrieval
            if answers.cost == "early_stage":
                assert not approach.uses_fine_tuning
            if answers.problem == "behavior":
                assert not approach.uses_retrieval
                assert approach in (PE, FT)
            if answers.problem == "both":
                assert approach is not PE
            # Fine-tuning is recommended exactly when the gate is open and the problem is not
            # knowledge.
            blocker = fine_tuning_blocker(answers)
            assert approach.uses_fine_tuning is (blocker is None and answers.problem != "knowledge")


def test_how_often_the_data_changes_never_decides_tuning(subtests):
    """Frequent change is judged like occasional change: the facts stay in the prompt or in
    retrieval, and a tuned model learns only the behaviour (rules 2026.12.1)."""
    for answers in ALL_ANSWERS:
        with subtests.test(combo_id(answers)):
            frequent = choose_approach(answers.with_answer("data_change", "frequent"))
            occasional = choose_approach(answers.with_answer("data_change", "occasional"))
            assert frequent is occasional
            if answers.problem == "knowledge" and answers.data_change == "frequent":
                assert choose_approach(answers) is RAG


def test_fine_tuning_alone_is_only_for_behaviour(subtests):
    """Fine-tuning never carries the knowledge: a problem that lacks information keeps
    retrieval, real time and stable data included (rules 2026.12.1)."""
    for answers in ALL_ANSWERS:
        with subtests.test(combo_id(answers)):
            if choose_approach(answers) is FT:
                assert answers.problem == "behavior"
            if answers.problem == "both" and fine_tuning_blocker(answers) is None:
                assert choose_approach(answers) is BOTH


def test_latency_is_mentioned_exactly_when_retrieval_meets_realtime(subtests):
    for answers in ALL_ANSWERS:
        with subtests.test(combo_id(answers)):
            result = evaluate(answers)
            warn = result.approach.uses_retrieval and answers.latency == "realtime"
            assert (LATENCY_FIGURE in result.headline) is warn
            assert any(LATENCY_FIGURE in t for t in result.trade_offs) is warn
            assert any(LATENCY_FIGURE in s for s in result.next_steps) is warn


def test_blocked_headlines_name_their_reason(subtests):
    for answers in ALL_ANSWERS:
        with subtests.test(combo_id(answers)):
            result = evaluate(answers)
            blocker = fine_tuning_blocker(answers)
            if result.approach is PE or (result.approach is RAG and answers.problem == "both"):
                assert blocker is not None
                assert BLOCKER_REASONS[blocker] in result.headline
            else:
                assert not any(reason in result.headline for reason in BLOCKER_REASONS.values())


def test_would_change_is_exact_and_complete(subtests):
    for answers in ALL_ANSWERS:
        with subtests.test(combo_id(answers)):
            result = evaluate(answers)
            listed = {(c.question, c.answer): c for c in result.would_change}
            assert len(listed) == len(result.would_change)  # no duplicates
            expected_order = []
            for question in QUESTIONS:
                for value in question.values:
                    if value == getattr(answers, question.key):
                        assert (question.key, value) not in listed
                        continue
                    other = choose_approach(answers.with_answer(question.key, value))
                    if (question.key, value) in listed:
                        change = listed[(question.key, value)]
                        assert change.approach is other
                        assert other is not result.approach
                        assert evaluate(answers.with_answer(question.key, value)).approach is other
                        assert f"\u201c{question.title}\u201d" in change.summary
                        assert f"\u201c{question.choice(value).label}\u201d" in change.summary
                        assert change.summary.endswith(f"{other.label}.")
                        expected_order.append((question.key, value))
                    else:
                        # Not listed, so this single change must keep the approach.
                        assert other is result.approach
            assert [(c.question, c.answer) for c in result.would_change] == expected_order


def test_deterministic_and_serialisable(subtests):
    for answers in ALL_ANSWERS:
        with subtests.test(combo_id(answers)):
            first, second = evaluate(answers), evaluate(answers)
            assert first == second
            data = first.to_dict()
            assert data == second.to_dict()
            assert json.loads(json.dumps(data)) == data
            assert {"approach", "headline", "rules_version", "rationale", "next_step"} <= set(data)
            assert set(data) == {
                "approach",
                "approach_label",
                "headline",
                "rationale",
                "ladder_step",
                "next_step",
                "next_steps",
                "trade_offs",
                "would_change",
                "plan",
                "pilot_metrics",
                "confidence",
                "refine",
                "rules_version",
            }
            assert data["approach"] == str(first.approach)
            assert data["approach_label"] == first.approach.label
            assert data["rules_version"] == RULES_VERSION
            assert [item["question"] for item in data["rationale"]] == list(QUESTION_KEYS)
            assert [item["answer"] for item in data["rationale"]] == [
                getattr(answers, key) for key in QUESTION_KEYS
            ]
            assert {item["rag"] for item in data["rationale"]} <= {"strong", "partial", "poor"}
            assert len(data["would_change"]) == len(first.would_change)


def test_text_is_never_empty(subtests):
    for answers in ALL_ANSWERS:
        with subtests.test(combo_id(answers)):
            result = evaluate(answers)
            assert result.headline.strip()
            assert result.headline.endswith(".")
            assert result.next_step.strip()
            assert result.trade_offs
            assert all(t.strip() for t in result.trade_offs)
            assert len(set(result.trade_offs)) == len(result.trade_offs)
            assert result.next_steps
            assert all(s.strip() for s in result.next_steps)
            assert len(set(result.next_steps)) == len(result.next_steps)
            assert result.rules_version == RULES_VERSION


def test_next_step_differs_per_approach():
    seen = {}
    for answers in ALL_ANSWERS:
        result = evaluate(answers)
        seen.setdefault(result.approach, set()).add(result.next_step)
    assert set(seen) == set(Approach)
    assert all(len(steps) == 1 for steps in seen.values())
    assert len({next(iter(steps)) for steps in seen.values()}) == 4


def test_rules_version_fits_the_snapshot_column():
    assert re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", RULES_VERSION)
    assert len(RULES_VERSION) <= 20
    assert evaluate(Answers.from_mapping(SEED_EXAMPLE)).to_dict()["rules_version"] == RULES_VERSION


def test_results_and_answers_are_immutable():
    answers = Answers.from_mapping(SEED_EXAMPLE)
    result = evaluate(answers)
    with pytest.raises(dataclasses.FrozenInstanceError):
        answers.problem = "behavior"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.approach = FT  # type: ignore[misc]
    assert answers.with_answer("problem", "behavior").problem == "behavior"
    assert answers.problem == "knowledge"


# --- Hypothesis ---------------------------------------------------------------------------------

answers_strategy = st.builds(
    Answers,
    **{q.key: st.sampled_from(q.values) for q in QUESTIONS},
)


@settings(database=None, max_examples=200)
@given(answers=answers_strategy)
def test_hypothesis_round_trip_and_determinism(answers):
    data = answers.as_dict()
    assert list(data) == list(QUESTION_KEYS)
    again = Answers.from_mapping(data)
    assert again == answers
    assert evaluate(again) == evaluate(answers)
    assert evaluate(again).to_dict() == evaluate(answers).to_dict()


@settings(database=None, max_examples=200)
@given(
    answers=answers_strategy,
    key=st.sampled_from(QUESTION_KEYS),
    junk=st.text(max_size=20),
)
def test_hypothesis_a_value_outside_the_choices_is_named(answers, key, junk):
    if junk in question_for(key).values:
        return
    data = {**answers.as_dict(), key: junk}
    with pytest.raises(InvalidAnswers) as raised:
        Answers.from_mapping(data)
    assert set(raised.value.errors) == {key}


@settings(database=None, max_examples=200)
@given(answers=answers_strategy)
def test_hypothesis_following_a_listed_change_gives_that_approach(answers):
    for change in evaluate(answers).would_change:
        changed = answers.with_answer(change.question, change.answer)
        assert evaluate(changed).approach is change.approach


# --- Bad input --------------------------------------------------------------------------------


def test_from_mapping_accepts_the_seed_example():
    answers = Answers.from_mapping(SEED_EXAMPLE)
    assert answers == make("knowledge", "occasional", "async", "early_stage", "none")


def test_missing_key_is_named():
    data = {k: v for k, v in SEED_EXAMPLE.items() if k != "latency"}
    with pytest.raises(InvalidAnswers) as raised:
        Answers.from_mapping(data)
    assert raised.value.errors == {"latency": "This question needs an answer."}
    assert "latency: This question needs an answer." in str(raised.value)


def test_none_value_counts_as_missing():
    with pytest.raises(InvalidAnswers) as raised:
        Answers.from_mapping({**SEED_EXAMPLE, "problem": None})
    assert raised.value.errors == {"problem": "This question needs an answer."}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("cost", "free"),
        ("problem", "Knowledge"),
        ("problem", "It lacks information"),
        ("labeled_data", ""),
        ("latency", 1),
        ("data_change", "rag"),
    ],
    ids=["unknown-value", "wrong-case", "label-not-value", "empty", "not-a-string", "other-key"],
)
def test_tampered_value_is_named(key, value):
    with pytest.raises(InvalidAnswers) as raised:
        Answers.from_mapping({**SEED_EXAMPLE, key: value})
    assert set(raised.value.errors) == {key}
    assert raised.value.errors[key] == f"Choose one of: {', '.join(question_for(key).values)}."


def test_unknown_extra_key_is_named():
    with pytest.raises(InvalidAnswers) as raised:
        Answers.from_mapping({**SEED_EXAMPLE, "colour": "blue"})
    assert raised.value.errors == {"colour": "Unknown question."}


def test_every_fault_is_named_at_once():
    data = {**SEED_EXAMPLE, "cost": "free", "colour": "blue"}
    del data["latency"]
    with pytest.raises(InvalidAnswers) as raised:
        Answers.from_mapping(data)
    assert raised.value.errors == {
        "latency": "This question needs an answer.",
        "cost": "Choose one of: early_stage, scaling, high_volume.",
        "colour": "Unknown question.",
    }


def test_empty_mapping_names_every_question():
    with pytest.raises(InvalidAnswers) as raised:
        Answers.from_mapping({})
    assert list(raised.value.errors) == list(QUESTION_KEYS)
    assert set(raised.value.errors.values()) == {"This question needs an answer."}


def test_constructor_rejects_a_bad_value():
    with pytest.raises(InvalidAnswers) as raised:
        make("knowledge", "occasional", "instant", "early_stage", "none")
    assert raised.value.errors == {"latency": "Choose one of: realtime, interactive, async."}
    assert isinstance(raised.value, ValueError)


def test_constructor_names_every_bad_value():
    with pytest.raises(InvalidAnswers) as raised:
        make("facts", "occasional", "async", "early_stage", "lots")
    assert set(raised.value.errors) == {"problem", "labeled_data"}


def test_with_answer_rejects_a_bad_value():
    with pytest.raises(InvalidAnswers) as raised:
        Answers.from_mapping(SEED_EXAMPLE).with_answer("cost", "cheap")
    assert set(raised.value.errors) == {"cost"}


# --- Cost evidence: the team's numbers stand in for the coarse cost answer --------------------

FAVOURS = engine.CostEvidence(favours_fine_tuning=True, summary="The numbers favour tuning.")
AGAINST = engine.CostEvidence(favours_fine_tuning=False, summary="The numbers favour RAG.")
BEHAVIOUR_MIDDLE = {
    "problem": "behavior",
    "data_change": "occasional",
    "latency": "interactive",
    "labeled_data": "some",
}


@pytest.mark.parametrize(
    ("cost", "evidence", "expected"),
    [
        # Without numbers, only a high-volume answer pushes towards fine-tuning.
        ("scaling", None, Approach.PROMPT_ENGINEERING),
        ("high_volume", None, Approach.FINE_TUNING),
        # Numbers showing fine-tuning cheaper push it, whatever the coarse answer said...
        ("scaling", FAVOURS, Approach.FINE_TUNING),
        ("high_volume", FAVOURS, Approach.FINE_TUNING),
        # ...and numbers showing it dearer take the push away.
        ("high_volume", AGAINST, Approach.PROMPT_ENGINEERING),
        ("scaling", AGAINST, Approach.PROMPT_ENGINEERING),
        # An early-stage product starts cheap and fast, whatever the numbers say.
        ("early_stage", FAVOURS, Approach.PROMPT_ENGINEERING),
    ],
)
def test_cost_evidence_decides_where_cost_decides(cost, evidence, expected):
    answers = engine.Answers.from_mapping({**BEHAVIOUR_MIDDLE, "cost": cost})

    assert engine.choose_approach(answers, evidence) is expected
    assert engine.evaluate(answers, evidence).approach is expected


@pytest.mark.parametrize("evidence", [FAVOURS, AGAINST])
def test_the_cost_rationale_quotes_the_numbers_that_tipped_it(evidence):
    answers = engine.Answers.from_mapping({**BEHAVIOUR_MIDDLE, "cost": "scaling"})

    cost = next(f for f in engine.evaluate(answers, evidence).factors if f.question == "cost")

    assert cost.why == evidence.summary
    assert (cost.fine_tuning is Verdict.STRONG) is evidence.favours_fine_tuning


def test_without_evidence_the_rules_are_unchanged(subtests):
    for answers in ALL_ANSWERS:
        with subtests.test(combo_id(answers)):
            assert engine.evaluate(answers, None) == engine.evaluate(answers)


@pytest.mark.parametrize("evidence", [FAVOURS, AGAINST])
def test_what_would_change_the_advice_holds_under_the_same_numbers(evidence):
    for answers in ALL_ANSWERS[::7]:
        result = engine.evaluate(answers, evidence)
        for change in result.would_change:
            flipped = answers.with_answer(change.question, change.answer)
            assert engine.choose_approach(flipped, evidence) is change.approach
