"""Comparing two saved recommendations, as plain functions on plain dicts (no database).

Snapshots are built the way `decision_complete` freezes them: the engine's result with the
questions' titles and the answers' labels resolved, so these tables hold for real decisions.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from advisor.domain.compare import Comparison, Shift, compare
from advisor.domain.engine import Answers, evaluate
from advisor.domain.questions import QUESTIONS

RAG = {
    "problem": "knowledge",
    "data_change": "occasional",
    "latency": "async",
    "cost": "early_stage",
    "labeled_data": "none",
}
# The same team, now waiting on a chat answer: retrieval still, with the same verdicts.
RAG_INTERACTIVE = {**RAG, "latency": "interactive"}
# Behaviour is the gap now, with stable data, pairs and a product that is growing.
FINE_TUNING = {
    "problem": "behavior",
    "data_change": "rare",
    "latency": "async",
    "cost": "scaling",
    "labeled_data": "plenty",
}


def snapshot(answers: dict[str, str], notes: dict[str, str] | None = None) -> dict[str, Any]:
    """The JSON columns of a Recommendation, as decision_complete writes them."""
    notes = notes or {}
    data = evaluate(Answers.from_mapping(answers)).to_dict()
    return {
        **data,
        "rationale": [
            {
                **item,
                "question_title": question.title,
                "answer_label": question.label_for(item["answer"]),
            }
            for question, item in zip(QUESTIONS, data["rationale"], strict=True)
        ],
        "answers": [
            {
                "question": question.key,
                "question_title": question.title,
                "answer": answers[question.key],
                "answer_label": question.label_for(answers[question.key]),
                "note": notes.get(question.key, ""),
            }
            for question in QUESTIONS
        ],
    }


def rules_bumped(snap: dict[str, Any], version: str, **verdicts: tuple[str, str]) -> dict:
    """The same answers judged by newer rules: some verdicts differ, nothing else."""
    bumped = copy.deepcopy(snap)
    bumped["rules_version"] = version
    for item in bumped["rationale"]:
        if item["question"] in verdicts:
            item["rag"], item["fine_tuning"] = verdicts[item["question"]]
    return bumped


def changed_answers(comparison: Comparison) -> list[tuple[str, str, str]]:
    return [
        (item.question, item.label.old, item.label.new)
        for item in comparison.answers
        if item.answer_changed
    ]


def changed_verdicts(comparison: Comparison) -> list[tuple[str, Shift, Shift]]:
    return [
        (item.question, item.rag, item.fine_tuning) for item in comparison.verdicts if item.changed
    ]


# --- The table ------------------------------------------------------------------------------

CASES = [
    pytest.param(
        snapshot(RAG),
        snapshot(RAG),
        [],
        0,
        [],
        "No answer, note or verdict changed; the approach stayed Retrieval (RAG).",
        id="identical",
    ),
    pytest.param(
        snapshot(RAG),
        snapshot(RAG_INTERACTIVE),
        [("latency", "Not waiting", "Interactive")],
        0,
        [],
        "1 answer changed; the approach stayed Retrieval (RAG).",
        id="one-answer-same-verdicts-same-approach",
    ),
    pytest.param(
        snapshot(RAG),
        snapshot(RAG, notes={"problem": "Prices change weekly", "cost": "Seed round"}),
        [],
        2,
        [],
        "2 notes changed; the approach stayed Retrieval (RAG).",
        id="notes-only",
    ),
    pytest.param(
        snapshot(RAG),
        snapshot(FINE_TUNING),
        [
            ("problem", "It lacks information", "It behaves the wrong way"),
            ("data_change", "Now and then (a few times a year)", "Hardly ever"),
            ("cost", "Early stage", "Growing"),
            ("labeled_data", "None yet", "Plenty"),
        ],
        0,
        [
            ("problem", Shift("strong", "partial"), Shift("partial", "strong")),
            ("data_change", Shift("strong", "strong"), Shift("partial", "strong")),
            ("cost", Shift("strong", "strong"), Shift("poor", "partial")),
            ("labeled_data", Shift("strong", "strong"), Shift("poor", "strong")),
        ],
        "4 answers and 5 verdicts changed; the approach moved from Retrieval (RAG) to Fine-tuning.",
        id="approach-moves",
    ),
    pytest.param(
        snapshot(RAG),
        rules_bumped(snapshot(RAG), "2027.1.0", latency=("partial", "strong")),
        [],
        0,
        [("latency", Shift("strong", "partial"), Shift("strong", "strong"))],
        "1 verdict changed; the approach stayed Retrieval (RAG).",
        id="rules-bump-changes-a-verdict-not-the-answers",
    ),
]


@pytest.mark.parametrize(("old", "new", "answers", "notes", "verdicts", "summary"), CASES)
def test_compare(old, new, answers, notes, verdicts, summary):
    comparison = compare(old, new)

    assert changed_answers(comparison) == answers
    assert comparison.answers_changed == len(answers)
    assert comparison.notes_changed == notes
    assert changed_verdicts(comparison) == verdicts
    assert comparison.summary == summary


def test_every_question_is_listed_in_order_changed_or_not():
    comparison = compare(snapshot(RAG), snapshot(RAG_INTERACTIVE))

    assert [item.question for item in comparison.answers] == [q.key for q in QUESTIONS]
    assert [item.question_title for item in comparison.verdicts] == [q.title for q in QUESTIONS]
    assert [item.answer_changed for item in comparison.answers] == [False] * 2 + [True] + [
        False
    ] * 2


def test_a_changed_note_says_before_and_after():
    old = snapshot(RAG, notes={"cost": "Seed round"})
    new = snapshot(RAG, notes={"cost": "Series A"})

    [cost] = [item for item in compare(old, new).answers if item.note_changed]

    assert cost.question == "cost"
    assert cost.note == Shift("Seed round", "Series A")
    assert not cost.answer_changed


@pytest.mark.parametrize(
    ("old", "new", "approach", "label", "changed"),
    [
        (RAG, RAG, Shift("rag", "rag"), Shift("Retrieval (RAG)", "Retrieval (RAG)"), False),
        (
            RAG,
            FINE_TUNING,
            Shift("rag", "fine_tuning"),
            Shift("Retrieval (RAG)", "Fine-tuning"),
            True,
        ),
        (
            FINE_TUNING,
            RAG,
            Shift("fine_tuning", "rag"),
            Shift("Fine-tuning", "Retrieval (RAG)"),
            True,
        ),
    ],
)
def test_the_approach_before_and_after(old, new, approach, label, changed):
    comparison = compare(snapshot(old), snapshot(new))

    assert comparison.approach == approach
    assert comparison.approach_label == label
    assert comparison.approach_changed is changed


@pytest.mark.parametrize(
    ("old_version", "new_version", "changed"),
    [("2026.11.3", "2026.11.3", False), ("2026.11.3", "2027.1.0", True)],
)
def test_both_rules_versions_are_kept(old_version, new_version, changed):
    old = rules_bumped(snapshot(RAG), old_version)
    new = rules_bumped(snapshot(RAG), new_version)

    comparison = compare(old, new)

    assert comparison.rules_version == Shift(old_version, new_version)
    assert comparison.rules_changed is changed


def test_a_question_only_one_side_asked_counts_as_changed():
    # Rules of another version might ask a question the earlier ones did not.
    old = snapshot(RAG)
    new = copy.deepcopy(old)
    extra = {"question": "budget", "question_title": "Budget", "answer": "small"}
    new["answers"].append({**extra, "answer_label": "Small", "note": ""})
    new["rationale"].append({**extra, "rag": "strong", "fine_tuning": "poor", "why": "."})

    comparison = compare(old, new)

    assert comparison.answers[-1].question_title == "Budget"
    assert comparison.answers[-1].label == Shift("", "Small")
    assert comparison.verdicts[-1].rag == Shift("", "strong")
    assert comparison.summary == (
        "1 answer and 2 verdicts changed; the approach stayed Retrieval (RAG)."
    )


def test_an_approach_unknown_to_these_rules_shows_as_stored():
    old = {**snapshot(RAG), "approach": "distillation"}

    assert compare(old, snapshot(RAG)).approach_label == Shift("distillation", "Retrieval (RAG)")


# --- Who answered ---------------------------------------------------------------------------


def team(*submitted: bool, contested: int = 0) -> dict[str, Any]:
    """The parts of a snapshot's team answers the comparison reads."""
    return {"people": [{"submitted": done} for done in submitted], "contested": contested}


def answered_by(snap: dict[str, Any], answers: dict[str, Any] | None) -> dict[str, Any]:
    return {**snap, "team_answers": answers}


@pytest.mark.parametrize(
    ("old", "new", "shift", "summary"),
    [
        (
            None,
            team(True, True, True, contested=1),
            Shift("one person", "3 people (1 disagreement settled)"),
            "No answer, note or verdict changed; the approach stayed Retrieval (RAG). "
            "Answered by one person before, by 3 people (1 disagreement settled) after.",
        ),
        (
            team(True, False, True, contested=2),
            None,
            Shift("2 of 3 people asked (2 disagreements settled)", "one person"),
            "No answer, note or verdict changed; the approach stayed Retrieval (RAG). "
            "Answered by 2 of 3 people asked (2 disagreements settled) before, by one person "
            "after.",
        ),
        (
            team(True, True),
            team(True, True),
            Shift("2 people (no disagreement)", "2 people (no disagreement)"),
            "No answer, note or verdict changed; the approach stayed Retrieval (RAG).",
        ),
        (
            team(True),
            None,
            Shift("the one person asked (no disagreement)", "one person"),
            "No answer, note or verdict changed; the approach stayed Retrieval (RAG). "
            "Answered by the one person asked (no disagreement) before, by one person after.",
        ),
    ],
    ids=["one-then-team", "team-then-one", "same-team", "a-round-of-one"],
)
def test_who_answered_is_compared_and_summed_up_when_it_differs(old, new, shift, summary):
    comparison = compare(answered_by(snapshot(RAG), old), answered_by(snapshot(RAG), new))

    assert comparison.answered_by == shift
    assert comparison.teams
    assert comparison.summary == summary


def test_two_decisions_one_person_answered_say_nothing_of_who_answered():
    # A snapshot saved before team answers existed has no such key at all.
    comparison = compare(snapshot(RAG), answered_by(snapshot(RAG), None))

    assert comparison.answered_by == Shift("one person", "one person")
    assert not comparison.teams
