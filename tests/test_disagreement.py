"""The disagreement view's rules (advisor.domain.disagreement): pure, so plain tables and
properties; which disagreement changes the result must always be the engine's own answer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.domain.disagreement import disagreement
from advisor.domain.engine import Answers, Approach, choose_approach
from advisor.domain.questions import QUESTION_KEYS, QUESTIONS, question_for
from tests.factories import RAG_ANSWERS

BEHAVIOUR = RAG_ANSWERS | {"problem": "behavior"}


def spread_of(result, key):
    return next(spread for spread in result.spreads if spread.key == key)


@pytest.mark.parametrize(
    ("people", "key", "agreed", "leading", "changes"),
    [
        # Everyone alike: agreed, and nothing anyone said would change it.
        ([RAG_ANSWERS, RAG_ANSWERS, RAG_ANSWERS], "problem", True, "knowledge", ()),
        # Two say knowledge, one behaviour: knowledge leads, and behaviour would make it
        # prompt engineering (no labels, so fine-tuning stays closed).
        (
            [RAG_ANSWERS, RAG_ANSWERS, BEHAVIOUR],
            "problem",
            False,
            "knowledge",
            (("behavior", Approach.PROMPT_ENGINEERING),),
        ),
        # A tie goes to the first answer given.
        ([BEHAVIOUR, RAG_ANSWERS], "problem", False, "behavior", (("knowledge", Approach.RAG),)),
        # A disagreement that does not move the result: latency, for a knowledge problem.
        (
            [RAG_ANSWERS, RAG_ANSWERS | {"latency": "realtime"}],
            "latency",
            False,
            "async",
            (),
        ),
    ],
    ids=["all-agree", "majority", "tie", "harmless"],
)
def test_spread_table(people, key, agreed, leading, changes):
    row = spread_of(disagreement(people), key)

    assert row.agreed is agreed
    assert row.leading == leading
    assert row.changes == changes


def test_each_person_gets_the_approach_of_their_own_answers_and_the_unanswered_none():
    result = disagreement([RAG_ANSWERS, BEHAVIOUR, {}])

    assert result.approaches == (Approach.RAG, Approach.PROMPT_ENGINEERING, None)
    assert result.leading is Approach.RAG
    assert spread_of(result, "problem").answers == ("knowledge", "behavior", None)


def test_a_settled_answer_leads_over_the_majority():
    result = disagreement([RAG_ANSWERS, RAG_ANSWERS, BEHAVIOUR], settled={"problem": "behavior"})
    row = spread_of(result, "problem")

    assert (row.leading, row.settled) == ("behavior", True)
    assert result.leading is Approach.PROMPT_ENGINEERING
    assert row.changes == (("knowledge", Approach.RAG),)


def test_refine_keys_appear_once_someone_answered_them_and_never_change_the_result():
    plain = disagreement([RAG_ANSWERS, RAG_ANSWERS])
    refined = disagreement(
        [RAG_ANSWERS | {"eval_set": "none"}, RAG_ANSWERS | {"eval_set": "scored"}]
    )

    assert [s.key for s in plain.spreads] == list(QUESTION_KEYS)
    row = spread_of(refined, "eval_set")
    assert (row.agreed, row.changes, row.answered) == (False, (), 2)
    assert refined.contested == [row]
    assert refined.decisive == []


def test_nobody_answered_means_no_leading_approach_and_no_changes():
    result = disagreement([{}, {}])

    assert result.leading is None
    assert all(not s.answered and not s.changes for s in result.spreads)


answer_sets = st.fixed_dictionaries({q.key: st.sampled_from(q.values) for q in QUESTIONS})


@given(people=st.lists(answer_sets, min_size=1, max_size=6))
def test_a_disagreement_changes_the_result_exactly_when_the_engine_says_so(people):
    result = disagreement(people)
    leading = {s.key: s.leading for s in result.spreads}
    base = choose_approach(Answers.from_mapping(leading))

    assert result.leading is base
    for spread in result.spreads:
        for value in set(spread.given) - {spread.leading}:
            other = choose_approach(Answers.from_mapping(leading | {spread.key: value}))
            assert ((value, other) in spread.changes) is (other is not base)
        assert spread.agreed is (len(set(spread.given)) == 1)
        assert sum(n for _, n in spread.counts) == len(people)
        assert spread.leading in question_for(spread.key).values
    assert result.approaches == tuple(
        choose_approach(Answers.from_mapping(person)) for person in people
    )
