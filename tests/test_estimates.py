"""The numbers step: defaults, live preview, bad figures, saving, and the snapshot it feeds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from advisor import selectors, services
from advisor.domain import costs, engine
from advisor.models import Estimate, ModelPrice, Recommendation
from tests.conftest import HX
from tests.factories import BOTH_ANSWERS, DecisionFactory, answered_decision, completed_decision

pytestmark = pytest.mark.django_db


def url(decision) -> str:
    return reverse("advisor:decision_estimate", args=[decision.pk])


def price(name: str = "GPT-4o mini (OpenAI API)") -> ModelPrice:
    return ModelPrice.objects.get(model=name)


def figures(row: ModelPrice, **changes) -> dict:
    return {"price": row.pk, "loaded_price": row.pk, **changes}


def distilled(**data) -> costs.CostInputs:
    """GPT-4o answering, a tuned GPT-4o mini replacing it: the tuned model reads the
    retrieved context at a tenth of the price, so retrieval plus fine-tuning wins on cost."""
    return selectors.estimate_build(
        answers=BOTH_ANSWERS, price=price("GPT-4o (Azure OpenAI)"), tuned_price=price(), data=data
    )


@pytest.fixture
def decision(team):
    return answered_decision(BOTH_ANSWERS, project__team=team)


def test_the_form_starts_from_defaults_that_follow_the_answers(client_logged_in, decision):
    text = client_logged_in.get(url(decision)).text

    assert 'name="monthly_queries" value="200000"' in text  # "scaling"
    assert 'name="retrains_per_year" value="4"' in text  # "occasional"
    assert 'name="labelled_pairs_needed" value="500"' in text  # "some"
    # The default row of the price file, with its date.
    assert "Llama 3.1 8B Instruct, LoRA (Fireworks) (prices of 4 Dec 2026)</option>" in text


def test_a_preview_shows_the_report_as_a_fragment_and_saves_nothing(client_logged_in, decision):
    response = client_logged_in.post(
        url(decision), figures(price(), monthly_queries="2,000,000"), headers=HX
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="estimate-preview"')
    assert "At 2,000,000 queries a month" in response.text
    assert not Estimate.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("monthly_queries", "-5", "Queries a month"),
        ("monthly_queries", "lots", "Enter a number"),
        ("hosting_per_hour", "1e400", "Tuned model hosting"),
        ("prompt_tokens", "99999999999", "Prompt tokens per request"),
    ],
)
def test_a_bad_figure_is_named_and_nothing_breaks(
    client_logged_in, decision, field, value, message
):
    preview = client_logged_in.post(url(decision), figures(price(), **{field: value}), headers=HX)
    save = client_logged_in.post(url(decision), figures(price(), action="save", **{field: value}))

    assert preview.status_code == 400
    assert f'href="#id_{field}"' in preview.text
    assert save.status_code == 400
    assert f'id="id_{field}_error"' in save.text or f"error_1_id_{field}" in save.text
    assert not Estimate.objects.exists()


def test_choosing_another_model_loads_its_prices_into_the_form(client_logged_in, decision):
    azure = price("GPT-4o mini (Azure OpenAI)")
    api = price()

    response = client_logged_in.post(
        url(decision),
        {"price": azure.pk, "loaded_price": api.pk, "hosting_per_hour": "0"},
        headers=HX,
    )

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#estimate"
    assert 'name="hosting_per_hour" value="1.7"' in response.text
    assert f'name="loaded_price" value="{azure.pk}"' in response.text


def test_saved_numbers_feed_the_recommendation_and_its_snapshot(client_logged_in, user, decision):
    base, tuned = price("GPT-4o (Azure OpenAI)"), price()
    response = client_logged_in.post(
        url(decision),
        {
            "price": base.pk,
            "tuned_price": tuned.pk,
            "loaded_price": f"{base.pk}:{tuned.pk}",
            "action": "save",
            "monthly_queries": "5000000",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("advisor:decision_review", args=[decision.pk])
    assert Estimate.objects.get().tuned_price == tuned

    recommendation = services.decision_complete(decision=decision, user=user)

    # A tuned GPT-4o mini with no hosting fee replacing GPT-4o at five million queries: the
    # numbers favour retrieval plus fine-tuning over retrieval, which the coarse "scaling"
    # answer alone would not have.
    assert recommendation.approach == "rag_plus_fine_tuning"
    report = recommendation.estimate
    assert report["inputs"]["monthly_queries"] == 5_000_000
    assert report["inputs"]["prices"]["as_of"] == "2024-11-01"
    assert report["inputs"]["tuned_prices"]["model"] == tuned.model
    assert report["comparison"] == {"tuned": "rag_plus_fine_tuning", "rival": "rag"}
    cost = next(item for item in recommendation.rationale if item["question"] == "cost")
    assert cost["why"].startswith("At 5,000,000 queries a month")


def test_a_later_price_change_leaves_the_saved_numbers_alone(client_logged_in, user, decision):
    client_logged_in.post(url(decision), figures(price(), action="save"))
    recommendation = services.decision_complete(decision=decision, user=user)
    before = recommendation.estimate

    ModelPrice.objects.filter(pk=price().pk).update(input_per_m=Decimal("99"))
    page = client_logged_in.get(decision.get_absolute_url()).text

    assert Recommendation.objects.get(pk=recommendation.pk).estimate == before
    assert before["inputs"]["prices"]["input_per_m"] == 0.15
    assert "The numbers it was made with" in page


def test_without_numbers_the_snapshot_has_none(user, decision):
    assert services.decision_complete(decision=decision, user=user).estimate is None


def test_the_step_waits_for_the_five_answers(client_logged_in, team):
    decision = DecisionFactory(project__team=team)

    response = client_logged_in.get(url(decision))

    assert response.status_code == 302
    assert response["Location"] == reverse("advisor:decision_step", args=[decision.pk, 1])


def test_a_completed_decision_keeps_its_numbers(client_logged_in, team):
    decision = completed_decision(project__team=team)

    response = client_logged_in.post(url(decision), figures(price(), action="save"))

    assert response.status_code == 302
    assert response["Location"] == decision.get_absolute_url()
    assert not Estimate.objects.exists()


def test_removing_the_numbers_goes_back_to_the_review(client_logged_in, decision):
    client_logged_in.post(url(decision), figures(price(), action="save"))

    response = client_logged_in.post(url(decision), {"action": "remove"})

    assert response["Location"] == reverse("advisor:decision_review", args=[decision.pk])
    assert not Estimate.objects.exists()


def test_the_review_offers_the_numbers_and_then_summarises_them(client_logged_in, decision):
    review = reverse("advisor:decision_review", args=[decision.pk])
    assert "Add your numbers" in client_logged_in.get(review).text

    client_logged_in.post(url(decision), figures(price(), action="save"))

    assert "Saved: 200,000 queries a month" in client_logged_in.get(review).text


def test_an_empty_price_table_says_so(client_logged_in, decision):
    ModelPrice.objects.all().delete()

    text = client_logged_in.get(url(decision)).text

    assert "The price table is empty" in text


def test_each_sensitivity_statement_holds_when_the_engine_is_run_again(decision):
    """Where cost decides, moving one figure past its threshold changes the recommendation."""
    answers = engine.Answers.from_mapping(BOTH_ANSWERS)
    estimate = distilled(monthly_queries="3000000")
    before = costs.estimate_advice(answers=answers, estimate=estimate, target_ms=None)[0].approach
    thresholds = costs.sensitivity(estimate, costs.rivals("both"))
    assert thresholds

    for threshold in thresholds:
        spec = costs.FIELDS[threshold.field]
        step = 1 if spec.whole else max(abs(threshold.value) * 1e-6, 1e-6)
        past = (
            threshold.value
            if spec.whole
            else threshold.value + (step if threshold.direction == "above" else -step)
        )
        flipped = estimate.with_value(threshold.field, int(past) if spec.whole else past)
        after = costs.estimate_advice(answers=answers, estimate=flipped, target_ms=None)[0].approach
        # The numbers favoured fine-tuning; past each threshold RAG is cheaper, the cost push
        # is gone, and the recommendation falls back to retrieval alone.
        assert (before, after) == (
            engine.Approach.RAG_PLUS_FINE_TUNING,
            engine.Approach.RAG,
        ), threshold.summary


def test_saved_numbers_that_no_longer_pass_the_checks_stop_completion_with_a_message(
    client_logged_in, decision
):
    client_logged_in.post(url(decision), figures(price(), action="save"))
    Estimate.objects.filter(decision=decision).update(inputs={"monthly_queries": -1})

    response = client_logged_in.post(
        reverse("advisor:decision_complete", args=[decision.pk]), follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("advisor:decision_review", args=[decision.pk])
    assert "The saved numbers no longer pass the checks" in response.text
    assert not Recommendation.objects.exists()


def test_for_a_behaviour_problem_the_numbers_weigh_fine_tuning_against_prompts(team):
    """A tuned model replaces prompt engineering there, not retrieval: its shorter prompt at
    twice the price per token does not pay for its training here."""
    answers = {**BOTH_ANSWERS, "problem": "behavior", "cost": "high_volume"}
    estimate = selectors.estimate_build(
        answers=answers, price=price(), data={"monthly_queries": "3000000"}
    )

    without = engine.evaluate(engine.Answers.from_mapping(answers))
    result, _ = costs.estimate_advice(
        answers=engine.Answers.from_mapping(answers),
        estimate=estimate,
        target_ms=None,
    )

    assert without.approach is engine.Approach.FINE_TUNING  # the "high volume" answer pushes
    assert result.approach is engine.Approach.PROMPT_ENGINEERING  # the numbers do not
    cost = next(factor for factor in result.factors if factor.question == "cost")
    assert cost.why.startswith("At 3,000,000 queries a month, your numbers put prompt engineering")


def test_defaults_are_not_frozen_a_changed_answer_still_counts(client_logged_in, user, decision):
    client_logged_in.post(url(decision), figures(price(), action="save", output_tokens="450"))
    services.answer_save(decision=decision, step=4, value="high_volume")

    report = services.decision_complete(decision=decision, user=user).estimate

    assert report["inputs"]["monthly_queries"] == 2_000_000  # the new answer's default
    assert report["inputs"]["output_tokens"] == 450  # what the team typed


def test_a_share_link_with_the_cost_figures_carries_the_numbers_in_its_json(client, user, decision):
    services.estimate_save(
        decision=decision,
        price=price(),
        estimate=selectors.estimate_build(
            answers=BOTH_ANSWERS, price=price(), data={"rerank": True}
        ),
        latency_target_ms=900,
    )
    services.decision_complete(decision=decision, user=user)
    decision.refresh_from_db()
    link = services.share_create(
        decision=decision, user=user, expires_in_days=None, include_costs=True
    )

    body = client.get(link.get_absolute_url().rstrip("/") + ".json").json()

    assert body["recommendation"]["estimate"]["latency"]["rag"]["target_ms"] == 900


@pytest.mark.parametrize("chosen", ["²", "-1", "999999", "abc"])
def test_an_odd_model_choice_falls_back_to_a_real_one(client_logged_in, decision, chosen):
    response = client_logged_in.get(url(decision), {"price": chosen})

    assert response.status_code == 200
    assert "Model and price list" in response.text


def test_the_report_says_which_thresholds_change_the_advice(client_logged_in, decision):
    result, report = costs.estimate_advice(
        answers=engine.Answers.from_mapping(BOTH_ANSWERS),
        estimate=distilled(monthly_queries="3000000"),
        target_ms=None,
    )
    base, tuned = price("GPT-4o (Azure OpenAI)"), price()
    page = client_logged_in.post(
        url(decision),
        {
            "price": base.pk,
            "tuned_price": tuned.pk,
            "loaded_price": f"{base.pk}:{tuned.pk}",
            "monthly_queries": "3000000",
        },
        headers=HX,
    ).text

    assert result.approach is engine.Approach.RAG_PLUS_FINE_TUNING
    assert {item["changes_to"] for item in report["sensitivity"]} == {"rag"}
    assert "The recommendation would then be Retrieval (RAG)." in page


def test_where_cost_cannot_decide_no_threshold_changes_the_advice():
    knowledge = {**BOTH_ANSWERS, "problem": "knowledge"}
    _, report = costs.estimate_advice(
        answers=engine.Answers.from_mapping(knowledge),
        estimate=selectors.estimate_build(
            answers=knowledge, price=price(), data={"monthly_queries": "3000000"}
        ),
        target_ms=None,
    )

    assert report["sensitivity"]
    assert {item["changes_to"] for item in report["sensitivity"]} == {None}
