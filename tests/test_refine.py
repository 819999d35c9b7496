"""The optional refine step: its page after the fifth question, its answers stored as Answer
rows beside the five, the corpus size entered once, and what the snapshot keeps of them."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from advisor import selectors, services
from advisor.domain.questions import STEP_COUNT
from advisor.domain.refine import REFINE_KEYS
from advisor.domain.wizard import REVIEW_STEP
from advisor.models import Answer, Decision, Estimate, ModelPrice, Role
from advisor.selectors.documents import decision_export
from tests.conftest import HX, client_for
from tests.factories import (
    REFINE_ANSWERS,
    DecisionFactory,
    ProjectFactory,
    answered_decision,
    completed_decision,
    member,
    refined,
)

CORPUS_ERROR = "Size of the documents: "


def refine_url(decision: Decision) -> str:
    return reverse("advisor:decision_refine", args=[decision.pk])


def review_url(decision: Decision) -> str:
    return reverse("advisor:decision_review", args=[decision.pk])


def refine_rows(decision: Decision) -> dict[str, tuple[str, str]]:
    rows = Answer.objects.filter(decision=decision, question__in=REFINE_KEYS)
    return {row.question: (row.value, row.note) for row in rows}


@pytest.fixture
def decision(team) -> Decision:
    return answered_decision(project__team=team)


# --- The page ----------------------------------------------------------------------------------


def test_the_page_and_its_fragment_offer_every_key_with_not_sure(client_logged_in, decision):
    page = client_logged_in.get(refine_url(decision))
    fragment = client_logged_in.get(refine_url(decision), headers=HX)

    assert page.status_code == fragment.status_code == 200
    assert "<html" in page.text
    assert "<html" not in fragment.text
    assert 'id="wizard"' in fragment.text
    for text in ("Refine the advice", "Evaluation set", "Size of the documents", "Citations"):
        assert text in page.text
    # Four choice questions, each with "Not sure" chosen while nothing is saved.
    assert page.text.count("Not sure") == 4
    assert page.text.count('value="" ') == 4
    assert "Save and review" in page.text
    assert f'href="{review_url(decision)}"' in page.text  # Skip
    assert f'href="{reverse("advisor:decision_step", args=[decision.pk, STEP_COUNT])}"' in page.text


def test_the_page_shows_the_saved_answers_and_notes(client_logged_in, decision):
    refined(decision, notes={"data_policy": "Legal says EU only."})

    page = client_logged_in.get(refine_url(decision))

    assert 'value="150,000"' in page.text
    assert 'value="region_bound"  id="id_data_policy_1" checked' in page.text
    assert "Legal says EU only." in page.text


def test_before_the_five_are_answered_the_page_sends_to_the_open_question(client_logged_in, team):
    decision = DecisionFactory(project__team=team)

    response = client_logged_in.get(refine_url(decision))

    assert response["Location"] == reverse("advisor:decision_step", args=[decision.pk, 1])


def test_saving_without_javascript_leads_to_the_review(client_logged_in, decision):
    response = client_logged_in.post(
        refine_url(decision),
        {
            "eval_set": "scored",
            "eval_set_note": "48 tickets scored by two agents.",
            "corpus_tokens": "200,000",
            "citations_required": "no",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == review_url(decision)
    assert refine_rows(decision) == {
        "eval_set": ("scored", "48 tickets scored by two agents."),
        "corpus_tokens": ("200000", ""),
        "citations_required": ("no", ""),
    }


def test_saving_with_htmx_shows_the_review_fragment(client_logged_in, decision):
    response = client_logged_in.post(refine_url(decision), {"behaviour_change": "rare"}, headers=HX)

    assert response.status_code == 200
    assert response["HX-Push-Url"] == review_url(decision)
    assert "<html" not in response.text
    assert "Review your answers" in response.text
    assert "How often the wanted behaviour changes" in response.text
    assert "Hardly ever" in response.text


def test_not_sure_removes_a_saved_answer(client_logged_in, decision):
    refined(decision)

    client_logged_in.post(refine_url(decision), {"eval_set": "few", "corpus_tokens": ""})

    assert refine_rows(decision) == {"eval_set": ("few", "")}


def test_a_note_needs_an_answer(client_logged_in, decision):
    response = client_logged_in.post(refine_url(decision), {"citations_required_note": "Ask legal"})

    assert response.status_code == 400
    assert "A note needs an answer" in response.text
    assert refine_rows(decision) == {}


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("1,5", "Enter a whole number of tokens"),
        ("12\x00", "Null characters are not allowed."),
        ("1.5", "Enter a whole number."),
        ("-3", "This cannot be negative."),
        (str(10**13), "This must be at most 1,000,000,000,000."),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_a_bad_corpus_size_is_an_error_on_its_field_and_nothing_is_written(
    client_logged_in, decision, typed, error, htmx
):
    refined(decision)
    before = refine_rows(decision)

    response = client_logged_in.post(
        refine_url(decision),
        {"eval_set": "scored", "corpus_tokens": typed},
        headers=HX if htmx else {},
    )

    assert response.status_code == 400
    assert error in response.text
    assert 'id="id_corpus_tokens_error"' in response.text
    assert "Nothing was saved." in response.text
    assert ("<html" in response.text) is not htmx
    assert refine_rows(decision) == before


def test_a_lone_surrogate_is_an_error_not_a_crash(client_logged_in, decision):
    # "\ud800" cannot be encoded as UTF-8: a browser sends its bytes as they come.
    response = client_logged_in.post(
        refine_url(decision),
        b"corpus_tokens=%ED%A0%80",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    assert CORPUS_ERROR in response.text
    assert refine_rows(decision) == {}


def test_an_answer_not_offered_is_refused(client_logged_in, decision):
    response = client_logged_in.post(refine_url(decision), {"data_policy": "anywhere"})

    assert response.status_code == 400
    assert "That is not one of the answers offered" in response.text
    assert refine_rows(decision) == {}


def test_a_viewer_is_refused(team, decision):
    viewer = client_for(member(team, Role.VIEWER))

    assert viewer.get(refine_url(decision)).status_code == 403
    assert viewer.post(refine_url(decision), {"eval_set": "few"}).status_code == 403
    assert refine_rows(decision) == {}


def test_a_completed_decision_is_refused(client_logged_in, team):
    decision = completed_decision(project__team=team)

    response = client_logged_in.post(refine_url(decision), {"eval_set": "few"}, follow=True)
    fragment = client_logged_in.get(refine_url(decision), headers=HX)

    assert response.redirect_chain[-1][0] == decision.get_absolute_url()
    assert "This decision is complete" in response.text
    assert fragment["HX-Redirect"] == decision.get_absolute_url()
    assert refine_rows(decision) == {}


# --- The wizard around it ------------------------------------------------------------------------


def test_the_fifth_question_leads_here_with_htmx(client_logged_in, team):
    decision = DecisionFactory(project__team=team)
    for step, value in enumerate(["knowledge", "rare", "async", "scaling"], start=1):
        services.answer_save(decision=decision, step=step, value=value)
    step_five = reverse("advisor:decision_step", args=[decision.pk, STEP_COUNT])

    response = client_logged_in.post(step_five, {"value": "some", "nav": "next"}, headers=HX)

    assert response["HX-Push-Url"] == refine_url(decision)
    assert "Refine the advice" in response.text
    assert "<html" not in response.text


def test_editing_the_fifth_from_the_review_returns_to_the_review(client_logged_in, decision):
    step_five = reverse("advisor:decision_step", args=[decision.pk, STEP_COUNT])

    response = client_logged_in.post(
        step_five, {"value": "plenty", "nav": "next", "return_to": "review"}
    )

    assert response["Location"] == review_url(decision)


def test_the_review_lists_the_refine_answers_with_an_edit_link(client_logged_in, decision):
    before = client_logged_in.get(review_url(decision))
    refined(decision, notes={"eval_set": "Nobody scores yet."})

    review = client_logged_in.get(review_url(decision))

    assert f'href="{refine_url(decision)}"' in before.text
    assert "Refine the advice" in before.text
    for text in ("Evaluation set", "Not yet", "150,000 tokens", "Within a region", "Nobody scores"):
        assert text in review.text
    assert 'aria-label="Edit the answers to “Refine the advice”"' in review.text
    # The review's Back goes to the refine step, the page before it.
    assert review.text.count(f'href="{refine_url(decision)}"') == 2


def test_refine_answers_are_no_sixth_question(decision):
    refined(decision)

    assert set(selectors.decision_answers(decision=decision)) == {
        "problem",
        "data_change",
        "latency",
        "cost",
        "labeled_data",
    }
    assert decision.current_step == REVIEW_STEP
    assert decision.progress_label == "In progress: ready for review"
    assert list(selectors.decision_refine_answers(decision=decision)) == list(REFINE_KEYS)


def test_a_refine_answer_alone_does_not_advance_the_wizard(client_logged_in, team):
    decision = DecisionFactory(project__team=team)
    Answer.objects.create(decision=decision, question="eval_set", value="scored")

    response = client_logged_in.get(decision.get_absolute_url())

    assert response["Location"] == reverse("advisor:decision_step", args=[decision.pk, 1])
    with pytest.raises(services.Refused):
        services.refine_save(decision=decision, values={"eval_set": "few"}, notes={})


def test_a_stored_value_no_longer_valid_counts_as_unanswered(decision):
    Answer.objects.create(decision=decision, question="eval_set", value="plenty")
    Answer.objects.create(decision=decision, question="corpus_tokens", value="12 pages")

    assert selectors.decision_refine_answers(decision=decision) == {}


def test_the_service_refuses_a_value_naming_its_key(decision):
    with pytest.raises(services.Refused) as refused:
        services.refine_save(decision=decision, values={"eval_set": "plenty"}, notes={})

    assert refused.value.messages[0].startswith("eval_set: ")
    assert refine_rows(decision) == {}


def test_the_service_leaves_keys_it_is_not_given(decision):
    refined(decision, notes={"corpus_tokens": "Wiki export, May."})

    services.refine_save(decision=decision, values={"corpus_tokens": 90_000}, notes={})

    assert refine_rows(decision)["corpus_tokens"] == ("90000", "Wiki export, May.")
    assert refine_rows(decision)["eval_set"] == ("none", "")


def test_a_revisit_starts_from_the_refine_answers_too(team):
    decision = completed_decision(project__team=team, refine={"eval_set": "few"})

    revisit = services.decision_revisit(decision=decision, user=decision.created_by)

    assert refine_rows(revisit) == {"eval_set": ("few", "")}
    assert revisit.current_step == REVIEW_STEP


# --- The corpus size, entered once ---------------------------------------------------------------


def estimate_url(decision: Decision) -> str:
    return reverse("advisor:decision_estimate", args=[decision.pk])


def corpus_shown(html: str) -> str:
    start = html.index('name="corpus_tokens"')
    tag = html[html.rindex("<input", 0, start) : html.index(">", start)]
    return tag.split('value="')[1].split('"')[0]


def numbers_posted(client, decision: Decision, **figures: str):
    page = client.get(estimate_url(decision))
    price = page.context["form"].initial["price"]
    data = {"action": "save", "price": price.pk, "loaded_price": price.pk}
    for name, field in page.context["form"].fields.items():
        if name not in data and field.initial is not None:
            data[name] = field.initial
    return client.post(estimate_url(decision), {**data, **figures})


def test_the_numbers_step_shows_the_refine_corpus_size(client_logged_in, decision):
    refined(decision, {"corpus_tokens": 150_000})

    page = client_logged_in.get(estimate_url(decision))

    assert corpus_shown(page.text) == "150000"


def test_saving_a_corpus_size_on_the_numbers_step_updates_the_refine_answer(
    client_logged_in, decision
):
    refined(decision, {"corpus_tokens": 150_000}, notes={"corpus_tokens": "The wiki."})

    response = numbers_posted(client_logged_in, decision, corpus_tokens="300,000")

    assert response.status_code == 302
    assert refine_rows(decision) == {"corpus_tokens": ("300000", "The wiki.")}
    assert "corpus_tokens" not in Estimate.objects.get(decision=decision).inputs
    refine_page = client_logged_in.get(refine_url(decision))
    assert 'value="300,000"' in refine_page.text


def test_a_corpus_size_left_at_its_default_writes_no_refine_answer(client_logged_in, decision):
    numbers_posted(client_logged_in, decision, monthly_queries="50000")

    assert refine_rows(decision) == {}
    assert Estimate.objects.get(decision=decision).inputs == {"monthly_queries": 50_000}


def test_a_corpus_size_saved_with_the_numbers_before_still_counts(client_logged_in, decision):
    price = ModelPrice.objects.first()
    Estimate.objects.create(decision=decision, price=price, inputs={"corpus_tokens": 3_000_000})

    numbers = client_logged_in.get(estimate_url(decision))
    refine_page = client_logged_in.get(refine_url(decision))
    client_logged_in.post(refine_url(decision), {"corpus_tokens": "3,000,000"})

    assert corpus_shown(numbers.text) == "3000000"
    assert 'value="3,000,000"' in refine_page.text
    assert refine_rows(decision) == {"corpus_tokens": ("3000000", "")}
    assert Estimate.objects.get(decision=decision).inputs == {}


def test_the_completed_estimate_uses_the_refine_corpus_size(decision):
    price = ModelPrice.objects.first()
    Estimate.objects.create(decision=decision, price=price, inputs={"monthly_queries": 50_000})
    refined(decision, {"corpus_tokens": 120_000})

    services.decision_complete(decision=decision, user=decision.created_by)

    report = Decision.objects.get(pk=decision.pk).recommendation.estimate
    assert report["inputs"]["corpus_tokens"] == 120_000


# --- The snapshot --------------------------------------------------------------------------------


def test_the_snapshot_keeps_the_refine_answers_plan_pilot_and_confidence(team):
    decision = completed_decision(
        project__team=team, refine=REFINE_ANSWERS | {"corpus_tokens": 150_000}
    )

    rec = decision.recommendation

    assert rec.refine[0] == {
        "key": "eval_set",
        "title": "Evaluation set",
        "answer": "none",
        "answer_label": "Not yet",
        "note": "",
    }
    assert rec.refine[1]["answer"] == 150_000
    assert rec.refine[1]["answer_label"] == "150,000 tokens"
    assert [item["key"] for item in rec.refine] == list(REFINE_KEYS)
    # No evaluation set: building one is the plan's first stage, with no trigger.
    assert rec.plan[0]["key"] == "evaluate"
    assert rec.plan[0]["trigger"] is None
    assert all(stage["trigger"] for stage in rec.plan[1:])
    assert {"key", "label", "unit", "better", "threshold"} <= set(rec.pilot_metrics[0])
    assert rec.confidence["level"] in {"high", "medium", "low"}
    assert rec.confidence["reason"]


def test_a_snapshot_without_refine_answers_keeps_an_empty_list(team):
    rec = completed_decision(project__team=team).recommendation

    assert rec.refine == []
    assert rec.plan[0]["trigger"] is None


def test_a_scored_baseline_counts_for_the_confidence(team):
    without = completed_decision(project__team=team).recommendation
    scored = completed_decision(project__team=team, refine={"eval_set": "scored"}).recommendation

    assert "baseline" in without.confidence["reason"]
    assert without.confidence != scored.confidence


def test_the_result_page_and_its_share_show_the_new_sections(client_logged_in, team):
    decision = completed_decision(
        project__team=team, refine=REFINE_ANSWERS, notes={"problem": "Wiki answers"}
    )
    rec = decision.recommendation
    link = services.share_create(decision=decision, user=decision.created_by, expires_in_days=None)

    page = client_logged_in.get(decision.get_absolute_url())
    share = client_logged_in.get(link.get_absolute_url())

    for html in (page.text, share.text):
        assert f"{rec.confidence['level'].capitalize()} confidence." in html
        assert "The plan, stage by stage" in html
        assert rec.plan[0]["title"] in html
        assert "When:" in html
        assert "What the pilot measures" in html
        assert '<th scope="col">Better when</th>' in html
        assert "Refine answers" in html
        assert "150,000 tokens" in html


def test_an_old_snapshot_says_where_the_new_sections_would_be(client_logged_in, team):
    decision = completed_decision(project__team=team)
    type(decision.recommendation).objects.filter(pk=decision.recommendation.pk).update(
        refine=None, plan=None, pilot_metrics=None, confidence=None
    )
    rules = decision.recommendation.rules_version

    page = client_logged_in.get(decision.get_absolute_url())

    for text in ("The plan, stage by stage", "What the pilot measures", "Refine answers"):
        assert text not in page.text
    assert not re.search(r"(High|Medium|Low) confidence\.", page.text)
    assert f"saved under rules {rules}, before Advisor judged its confidence" in page.text
    assert f"saved under rules {rules}, before Advisor drew up a plan in stages" in page.text
    # Its first screen starts with the next step it saved instead of a plan's first stage.
    assert decision.recommendation.next_step in page.text


def test_a_threshold_left_to_the_team_says_so(client_logged_in, team):
    decision = completed_decision(project__team=team)
    assert any(m["threshold"] is None for m in decision.recommendation.pilot_metrics)

    page = client_logged_in.get(decision.get_absolute_url())

    assert "Set by your team" in page.text


def test_search_finds_a_refine_note(client_logged_in, decision):
    refined(decision, notes={"data_policy": "Frankfurt datacentre only"})

    response = client_logged_in.get(reverse("advisor:search"), {"q": "Frankfurt"})

    assert decision.title in response.text
    assert "Frankfurt datacentre only" in response.text


# --- Exports -------------------------------------------------------------------------------------

BASE = "https://advisor.example"


def exported(decision: Decision) -> dict:
    return json.loads(json.dumps(decision_export(decision, base_url=BASE)))


def import_refusals(document: dict) -> list[str]:
    project = ProjectFactory()
    with pytest.raises(services.Refused) as refused:
        services.decision_import(project=project, user=project.created_by, document=document)
    assert not project.decisions.exists()
    return refused.value.messages


def test_a_refined_decision_exports_as_version_2_and_imports_back(team):
    decision = completed_decision(
        project__team=team, refine={"eval_set": "scored", "corpus_tokens": 90_000}
    )
    Answer.objects.filter(decision=decision, question="eval_set").update(note="Fifty tickets")
    document = exported(decision)
    project = ProjectFactory()

    copy_ = services.decision_import(project=project, user=project.created_by, document=document)

    assert document["version"] == 2
    assert document["refine_answers"] == [
        {"question": "eval_set", "value": "scored", "note": "Fifty tickets"},
        {"question": "corpus_tokens", "value": 90_000, "note": ""},
    ]
    assert refine_rows(copy_) == {
        "eval_set": ("scored", "Fifty tickets"),
        "corpus_tokens": ("90000", ""),
    }
    rec = copy_.recommendation
    for field in ("refine", "plan", "pilot_metrics", "confidence"):
        assert getattr(rec, field) == document["recommendation"][field]


def test_an_old_snapshot_exports_as_version_1_without_the_new_keys(team):
    decision = completed_decision(project__team=team)
    type(decision.recommendation).objects.filter(decision=decision).update(
        refine=None, plan=None, pilot_metrics=None, confidence=None
    )
    decision = Decision.objects.get(pk=decision.pk)
    document = exported(decision)
    project = ProjectFactory()

    copy_ = services.decision_import(project=project, user=project.created_by, document=document)

    assert document["version"] == 1
    assert "refine_answers" not in document
    assert not {"refine", "plan", "pilot_metrics", "confidence"} & set(document["recommendation"])
    assert copy_.recommendation.plan is None
    assert copy_.recommendation.confidence is None


def test_refine_answers_other_than_the_snapshots_are_refused(team):
    document = exported(completed_decision(project__team=team, refine={"eval_set": "few"}))
    document["refine_answers"][0]["value"] = "scored"

    assert import_refusals(document) == [
        "The recommendation was computed from other refine answers than the file lists."
    ]


def test_a_refine_key_twice_is_refused(team):
    document = exported(completed_decision(project__team=team, refine={"eval_set": "few"}))
    document["refine_answers"] *= 2
    document["recommendation"]["refine"] *= 2

    assert import_refusals(document) == ["The refine answers must name each key once at most."]


@pytest.mark.parametrize(
    "answer",
    [
        {"question": "eval_set", "value": "plenty", "note": ""},
        {"question": "corpus_tokens", "value": "90000", "note": ""},
        {"question": "corpus_tokens", "value": 10**13, "note": ""},
        {"question": "mood", "value": "calm", "note": ""},
    ],
)
def test_a_malformed_refine_answer_is_refused(team, answer):
    document = exported(completed_decision(project__team=team))
    document["refine_answers"] = [answer]

    assert import_refusals(document) == [
        "Part of the file is missing or malformed: the refine answers."
    ]


def test_the_share_json_holds_the_plan_and_the_confidence(client, team):
    decision = completed_decision(project__team=team, refine={"data_policy": "in_house"})
    link = services.share_create(decision=decision, user=decision.created_by, expires_in_days=None)

    document = client.get(reverse("advisor:share_json", args=[link.token])).json()

    rec = document["recommendation"]
    assert rec["confidence"] == decision.recommendation.confidence
    assert rec["plan"] == decision.recommendation.plan
    assert rec["pilot_metrics"] == decision.recommendation.pilot_metrics
    assert rec["refine"][0]["answer_label"] == "In-house only"
    assert "people" not in document


def test_the_markdown_export_has_the_plan_the_pilot_and_the_refine_answers(client_logged_in, team):
    decision = completed_decision(project__team=team, refine={"citations_required": "yes"})

    text = client_logged_in.get(reverse("advisor:decision_export_md", args=[decision.pk])).text

    assert "And refined the advice:\n\n* Citations: **Yes**" in text
    assert f"Confidence: **{decision.recommendation.confidence['level'].capitalize()}**." in text
    assert "The plan, stage by stage:\n\n1. **" in text
    assert "What the pilot measures:" in text
