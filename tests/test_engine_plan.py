"""The plan, the pilot metrics, the confidence and the refine step's effect on the advice
(docs/decision-rules.md: "The refine step", "The plan", "The pilot", "Confidence")."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import asdict
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.domain.engine import (
    Answers,
    Approach,
    CostEvidence,
    InvalidAnswers,
    Refinement,
    evaluate,
)
from advisor.domain.engine.confidence import confidence
from advisor.domain.engine.gates import would_change
from advisor.domain.engine.words import NEXT_STEP
from advisor.domain.outcome_rules import pilot_met
from advisor.domain.questions import QUESTIONS
from advisor.domain.refine import REFINE_QUESTIONS

ALL_ANSWERS = [Answers(*combo) for combo in itertools.product(*(q.values for q in QUESTIONS))]

refinements = st.builds(
    Refinement,
    **{
        question.key: st.one_of(st.none(), st.sampled_from(question.values))
        for question in REFINE_QUESTIONS
    },
    corpus_tokens=st.one_of(st.none(), st.integers(0, 10**12)),
)


def stage_keys(answers: Answers, refinement: Refinement | None = None, **kwargs) -> list[str]:
    return [stage.key for stage in evaluate(answers, refinement=refinement, **kwargs).plan]


@given(refinements)
@settings(max_examples=40, deadline=None)
def test_the_refine_step_never_changes_the_approach(refinement):
    for answers in ALL_ANSWERS:
        plain, refined = evaluate(answers), evaluate(answers, refinement=refinement)
        assert refined.approach is plain.approach
        assert refined.would_change == plain.would_change
        assert refined.headline == plain.headline


@given(refinements)
@settings(max_examples=40, deadline=None)
def test_plan_invariants(refinement):
    for answers in ALL_ANSWERS:
        advice = evaluate(answers, refinement=refinement)
        first, *rest = advice.plan
        assert first.trigger is None, "the first stage is what to do now"
        assert all(stage.trigger for stage in rest), "every later stage says when"
        keys = [stage.key for stage in advice.plan]
        assert len(keys) == len(set(keys))
        assert ("evaluate" in keys) is (refinement.eval_set != "scored")
        assert ("retrieval" in keys) is advice.approach.uses_retrieval
        if answers.problem == "knowledge":
            assert "fine_tune" not in keys, "knowledge is never trained into the weights"
        if advice.approach.uses_fine_tuning:
            assert "fine_tune" in keys


@pytest.mark.parametrize(
    ("answers", "refinement", "expected"),
    [
        # Behaviour, tuning justified: baseline by prompts, then tune, then distil at volume.
        (
            Answers("behavior", "rare", "interactive", "high_volume", "plenty"),
            Refinement(),
            ["evaluate", "prompt", "fine_tune", "distil"],
        ),
        (
            Answers("behavior", "rare", "interactive", "scaling", "plenty"),
            Refinement(eval_set="scored"),
            ["prompt", "fine_tune"],
        ),
        # Behaviour without pairs: prompts now, tuning the next rung once the pairs exist.
        (
            Answers("behavior", "rare", "interactive", "scaling", "none"),
            Refinement(eval_set="few"),
            ["evaluate", "prompt", "fine_tune"],
        ),
        # Knowledge: long context while it fits, then an index; no tuning ever.
        (
            Answers("knowledge", "frequent", "interactive", "high_volume", "plenty"),
            Refinement(corpus_tokens=150_000),
            ["evaluate", "long_context", "retrieval"],
        ),
        (
            Answers("knowledge", "frequent", "interactive", "high_volume", "plenty"),
            Refinement(corpus_tokens=200_001, eval_set="scored"),
            ["retrieval"],
        ),
        # Both, tuning blocked: retrieval now, tuning once retrieval works and pairs exist.
        (
            Answers("both", "frequent", "interactive", "scaling", "some"),
            Refinement(),
            ["evaluate", "long_context", "retrieval", "fine_tune"],
        ),
        (
            Answers("both", "rare", "realtime", "high_volume", "plenty"),
            Refinement(corpus_tokens=10**9),
            ["evaluate", "retrieval", "fine_tune", "distil"],
        ),
    ],
)
def test_plan_stages(answers, refinement, expected):
    assert stage_keys(answers, refinement) == expected


def test_plan_triggers_are_measurable():
    advice = evaluate(Answers("both", "rare", "interactive", "scaling", "plenty"))
    by_key = {stage.key: stage for stage in advice.plan}
    assert by_key["retrieval"].trigger.startswith("When the documents grow past about 200,000")
    assert by_key["fine_tune"].trigger == (
        "If retrieval finds the right passage for at least 80% of test requests (recall@5) "
        "and the format pass rate still stays below 95%."
    )
    waiting = evaluate(Answers("behavior", "rare", "interactive", "scaling", "none"))
    assert waiting.plan[-1].trigger == (
        "Once you hold at least 500 reviewed pairs, if the format pass rate stays below 95% "
        "after prompt work."
    )


def test_distillation_trigger_uses_the_numbers_when_there_are_some():
    answers = Answers("behavior", "rare", "realtime", "high_volume", "plenty")
    evidence = CostEvidence(True, "cheaper", per_query={"fine_tuning": 0.00042})
    numbers = evaluate(answers, evidence).plan[-1]
    assert numbers.key == "distil"
    assert "above $0.0004, what your numbers planned for it" in numbers.trigger
    assert "1,000,000 queries a month" in evaluate(answers).plan[-1].trigger


def test_data_that_stays_in_house_points_to_open_weight_models_and_lora():
    answers = Answers("behavior", "rare", "interactive", "scaling", "plenty")
    advice = evaluate(answers, refinement=Refinement(data_policy="in_house"))
    by_key = {stage.key: stage for stage in advice.plan}
    assert "open-weight models you can host" in by_key["evaluate"].action
    assert "LoRA adapters on an open-weight model you host" in by_key["fine_tune"].action
    assert any(step.startswith("Your data stays in-house") for step in advice.next_steps)
    hosted = evaluate(answers)
    lora = "LoRA adapters on an open-weight model you host"
    assert not any(lora in stage.action for stage in hosted.plan)


def test_live_figures_are_fetched_not_indexed_when_the_data_changes_often():
    def retrieval(data_change):
        advice = evaluate(Answers("knowledge", data_change, "interactive", "scaling", "none"))
        return next(stage for stage in advice.plan if stage.key == "retrieval").action

    assert "through a tool call" in retrieval("frequent")
    assert "tool call" not in retrieval("rare")


@pytest.mark.parametrize(
    ("refinement", "first_step"),
    [
        (Refinement(), "Build an evaluation set before changing anything"),
        (Refinement(eval_set="none"), "You cannot score an answer yet"),
        (Refinement(eval_set="few"), "Turn the examples you check by hand"),
        (Refinement(eval_set="scored"), "Score every change on your evaluation set"),
    ],
)
def test_the_evaluation_set_answer_sets_the_first_step(refinement, first_step):
    advice = evaluate(
        Answers("knowledge", "rare", "interactive", "scaling", "none"), refinement=refinement
    )
    assert advice.next_steps[0].startswith(first_step)


@pytest.mark.parametrize(
    ("corpus", "long_context_step"),
    [
        (None, "While the documents fit in about 200,000 tokens"),
        (80_000, "Your documents, about 80,000 tokens, fit in one prompt"),
        (5_000_000, None),
    ],
)
def test_the_corpus_size_decides_the_long_context_step(corpus, long_context_step):
    advice = evaluate(
        Answers("knowledge", "rare", "interactive", "scaling", "none"),
        refinement=Refinement(corpus_tokens=corpus),
    )
    found = [step for step in advice.next_steps if "tokens" in step and "prompt" in step]
    if long_context_step is None:
        assert found == []
    else:
        assert found[0].startswith(long_context_step)


@pytest.mark.parametrize(
    ("behaviour_change", "retrain"),
    [
        (None, "Plan when to retrain: whenever the wanted behaviour changes"),
        ("frequent", "Plan when to retrain: about monthly"),
        ("rare", "Plan when to retrain: about once a year"),
    ],
)
def test_tuned_models_are_retrained_as_often_as_the_behaviour_changes(behaviour_change, retrain):
    advice = evaluate(
        Answers("behavior", "frequent", "interactive", "scaling", "plenty"),
        refinement=Refinement(behaviour_change=behaviour_change),
    )
    assert any(step.startswith(retrain) for step in advice.next_steps)


# --- The pilot -------------------------------------------------------------------------------


def pilot(answers: Answers, evidence: CostEvidence | None = None) -> dict[str, object]:
    return {m.key: m.threshold for m in evaluate(answers, evidence).pilot_metrics}


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (
            Answers("knowledge", "rare", "realtime", "scaling", "none"),
            {
                "recall_at_5": 80,
                "groundedness": 95,
                "ttft_p95": 500,
                "cost_per_query": None,
                "business_metric": 0,
            },
        ),
        (
            Answers("behavior", "rare", "interactive", "scaling", "plenty"),
            {
                "format_validity": 95,
                "ttft_p95": 2000,
                "cost_per_query": None,
                "business_metric": 0,
            },
        ),
        (
            Answers("both", "rare", "async", "high_volume", "plenty"),
            {
                "recall_at_5": 80,
                "groundedness": 95,
                "format_validity": 95,
                "cost_per_query": None,
                "business_metric": 0,
            },
        ),
    ],
)
def test_pilot_metrics_follow_the_approach_and_the_latency(answers, expected):
    assert pilot(answers) == expected


def test_the_pilot_cost_threshold_is_the_numbers_figure_for_the_recommended_approach():
    answers = Answers("knowledge", "rare", "interactive", "scaling", "none")
    evidence = CostEvidence(False, "dearer", per_query={"rag": 0.0031, "fine_tuning": 0.001})
    assert pilot(answers, evidence)["cost_per_query"] == 0.0031


def test_a_measured_value_meets_its_threshold_in_the_metrics_direction():
    metrics = {
        m.key: asdict(m)
        for m in evaluate(Answers("both", "rare", "realtime", "scaling", "plenty")).pilot_metrics
    }
    assert pilot_met(metrics["recall_at_5"], Decimal(80)) is True
    assert pilot_met(metrics["recall_at_5"], Decimal("79.9")) is False
    assert pilot_met(metrics["ttft_p95"], Decimal(500)) is True
    assert pilot_met(metrics["ttft_p95"], Decimal(501)) is False
    assert pilot_met(metrics["cost_per_query"], Decimal("0.5")) is None


def test_one_format_figure_gates_tuning_and_meets_the_pilot():
    advice = evaluate(Answers("behavior", "rare", "interactive", "scaling", "none"))
    target = next(m for m in advice.pilot_metrics if m.key == "format_validity").threshold
    assert f"below {target}%" in advice.plan[-1].trigger


def test_the_next_step_follows_the_refine_answers():
    scored = evaluate(
        Answers("behavior", "rare", "interactive", "scaling", "none"),
        refinement=Refinement(eval_set="scored"),
    )
    assert scored.next_step.startswith("Improve the instructions and examples against your")
    large = evaluate(
        Answers("knowledge", "rare", "interactive", "scaling", "none"),
        refinement=Refinement(corpus_tokens=50_000_000),
    )
    assert large.next_step.startswith("Your documents, about 50,000,000 tokens, are too many")
    assert "200,000" not in large.next_step
    plain = evaluate(Answers("knowledge", "rare", "interactive", "scaling", "none"))
    assert plain.next_step == NEXT_STEP[Approach.RAG]


def test_live_figures_are_a_next_step_only_when_the_data_changes_often():
    def live(data_change):
        advice = evaluate(Answers("knowledge", data_change, "interactive", "scaling", "none"))
        return any("from the live system" in step for step in advice.next_steps)

    assert live("frequent")
    assert not live("occasional")
    assert not live("rare")


def test_retrieval_plus_tuning_is_compared_with_retrieval_not_a_prompt_baseline():
    advice = evaluate(Answers("both", "rare", "interactive", "scaling", "plenty"))
    tune = next(stage for stage in advice.plan if stage.key == "fine_tune")
    assert "compare it with retrieval with prompts alone" in tune.action


# --- Confidence ------------------------------------------------------------------------------


def test_confidence_levels():
    # Only the problem question flips this one: high with both kinds of evidence.
    answers = Answers("knowledge", "frequent", "interactive", "scaling", "none")
    changes = would_change(Approach.RAG, answers, None)
    assert {c.question for c in changes} == {"problem"}
    assert confidence(changes, has_numbers=True, has_baseline=True).level == "high"
    assert confidence(changes, has_numbers=False, has_baseline=True).level == "medium"
    assert confidence(changes, has_numbers=True, has_baseline=False).level == "medium"
    # Three questions flip this one: low whatever the evidence.
    fragile = Answers("both", "frequent", "interactive", "high_volume", "some")
    approach = evaluate(fragile).approach
    changes = would_change(approach, fragile, None)
    assert len({c.question for c in changes}) >= 3
    assert confidence(changes, has_numbers=True, has_baseline=True).level == "low"


def test_confidence_reason_names_what_it_rests_on():
    answers = Answers("knowledge", "frequent", "interactive", "scaling", "none")
    assert evaluate(answers).confidence.reason == (
        "Only a different answer to “Knowledge or behaviour” would change the advice; no "
        "numbers were entered and there is no scored evaluation baseline."
    )
    backed = evaluate(
        answers, CostEvidence(False, "dearer"), refinement=Refinement(eval_set="scored")
    )
    assert backed.confidence.level == "high"
    assert backed.confidence.reason.endswith(
        "your numbers and a scored evaluation baseline back it."
    )


def test_confidence_is_never_high_without_both_kinds_of_evidence():
    for answers in ALL_ANSWERS:
        assert evaluate(answers).confidence.level != "high"


# --- The refine answers themselves ----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"eval_set": "many"}, {"eval_set"}),
        ({"corpus_tokens": -1}, {"corpus_tokens"}),
        ({"corpus_tokens": 10**12 + 1}, {"corpus_tokens"}),
        ({"corpus_tokens": True}, {"corpus_tokens"}),
        ({"corpus_tokens": "5000"}, {"corpus_tokens"}),
        ({"data_policy": "cloud", "colour": "red"}, {"data_policy", "colour"}),
    ],
)
def test_bad_refine_answers_are_named(data, errors):
    with pytest.raises(InvalidAnswers) as raised:
        Refinement.from_mapping(data)
    assert set(raised.value.errors) == errors


def test_refine_answers_serialise_only_what_was_given():
    refinement = Refinement.from_mapping({"eval_set": "few", "corpus_tokens": 0})
    assert refinement.as_dict() == {"eval_set": "few", "corpus_tokens": 0}
    assert evaluate(ALL_ANSWERS[0], refinement=refinement).to_dict()["refine"] == {
        "eval_set": "few",
        "corpus_tokens": 0,
    }


def test_confidence_counts_over_all_combinations_match_the_docs():
    plain = Counter(evaluate(answers).confidence.level for answers in ALL_ANSWERS)
    backed = Counter(
        confidence(evaluate(a).would_change, has_numbers=True, has_baseline=True).level
        for a in ALL_ANSWERS
    )
    assert plain == {"medium": 171, "low": 72}
    assert backed == {"high": 99, "medium": 72, "low": 72}
