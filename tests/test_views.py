"""Every page as a full page and, where htmx swaps it, as a fragment."""

from __future__ import annotations

import json
import re
from html import escape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advisor.domain.questions import QUESTIONS
from advisor.models import NOTE_MAX_LENGTH, Decision, Project, Recommendation
from tests.conftest import HX, client_for
from tests.factories import (
    DecisionFactory,
    ProjectFactory,
    answered_decision,
    completed_decision,
)

pytestmark = pytest.mark.django_db


def step_url(decision: Decision, step: int) -> str:
    return reverse("advisor:decision_step", args=[decision.pk, step])


def checked_value(html: str) -> str | None:
    """The value of the checked answer radio in a rendered step, if any."""
    for tag in re.findall(r"<input[^>]*>", html):
        if 'name="value"' in tag and re.search(r"\schecked\b", tag):
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


def review_url(decision: Decision) -> str:
    return reverse("advisor:decision_review", args=[decision.pk])


# --- Login ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/projects/",
        "/projects/new/",
        "/projects/1/",
        "/projects/1/edit/",
        "/decisions/1/",
        "/decisions/1/step/1/",
        "/decisions/1/review/",
    ],
)
def test_every_page_needs_a_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


# --- Projects -------------------------------------------------------------------------------


def test_project_list_empty_state(client_logged_in, team):
    response = client_logged_in.get("/projects/")

    assert "No projects yet" in response.text
    assert "Create your first project" in response.text


def test_project_list_shows_latest_approach_and_hides_archived(client_logged_in, team):
    older = completed_decision(
        project__team=team,
        answers={
            "problem": "behavior",
            "data_change": "rare",
            "latency": "async",
            "cost": "early_stage",
            "labeled_data": "none",
        },
    )
    completed_decision(project=older.project)
    ProjectFactory(team=team, name="Old pilot", archived=True)

    text = client_logged_in.get("/projects/").text

    assert older.project.name in text
    assert "Retrieval (RAG)" in text  # the newer of the two decisions
    assert "Old pilot" not in text
    assert "Old pilot" in client_logged_in.get("/projects/?archived=1").text


def test_project_create_and_validation(client_logged_in, user, team):
    response = client_logged_in.post(
        "/projects/new/", {"team": team.pk, "name": "", "description": "x"}
    )
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert not Project.objects.exists()

    response = client_logged_in.post("/projects/new/", {"team": team.pk, "name": "Docs assistant"})

    project = Project.objects.get()
    assert response["Location"] == project.get_absolute_url()
    assert (project.created_by, project.team) == (user, team)


def test_project_edit_archives(client_logged_in, team):
    project = ProjectFactory(team=team)

    response = client_logged_in.post(
        f"/projects/{project.pk}/edit/", {"name": "Renamed", "description": "", "archived": "on"}
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.archived) == ("Renamed", True)


def test_unknown_project_is_404_with_a_page_that_says_so(client_logged_in):
    response = client_logged_in.get("/projects/999/")

    assert response.status_code == 404
    assert "This page does not exist" in response.text


def test_project_page_empty_history(client_logged_in, team):
    project = ProjectFactory(team=team)

    text = client_logged_in.get(project.get_absolute_url()).text

    assert "No decisions yet" in text
    assert "Start the five questions" in text


def test_project_history_lists_decisions_newest_first_with_continue(client_logged_in, team):
    project = ProjectFactory(team=team)
    done = completed_decision(project=project, title="First")
    open_one = DecisionFactory(project=project, title="Second")

    text = client_logged_in.get(project.get_absolute_url()).text

    assert text.index("Second") < text.index("First")
    assert "Continue" in text
    assert "Retrieval (RAG)" in text
    assert done.created_by.username in text
    assert open_one.get_absolute_url() in text


def test_project_history_page_as_fragment(client_logged_in, team):
    project = ProjectFactory(team=team)
    DecisionFactory.create_batch(25, project=project)

    response = client_logged_in.get(f"{project.get_absolute_url()}?page=2", headers=HX)

    assert "<html" not in response.text
    assert 'id="history"' in response.text
    assert "Page 2 of 2" in response.text
    assert "HX-Request" in response["Vary"]


def test_project_history_query_count_is_flat(client_logged_in, team):
    def count_queries(project) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client_logged_in.get(project.get_absolute_url())
        assert response.status_code == 200
        return len(queries)

    small = ProjectFactory(team=team)
    completed_decision(project=small)
    large = ProjectFactory(team=team)
    for _ in range(12):
        completed_decision(project=large)
    DecisionFactory.create_batch(12, project=large)

    assert count_queries(small) == count_queries(large)


def test_project_list_query_count_is_flat(client_logged_in, team):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            client_logged_in.get("/projects/")
        return len(queries)

    completed_decision(project__team=team)
    few = count_queries()
    for _ in range(5):
        completed_decision(project__team=team)

    assert count_queries() == few


# --- Starting and walking the wizard --------------------------------------------------------


def test_start_decision_redirects_to_step_one(client_logged_in, user, team):
    project = ProjectFactory(team=team)

    response = client_logged_in.post(
        reverse("advisor:decision_create", args=[project.pk]), {"title": "Bot voice"}
    )

    decision = Decision.objects.get()
    assert response["Location"] == step_url(decision, 1)
    assert (decision.title, decision.created_by) == ("Bot voice", user)


def test_start_decision_with_too_long_title_shows_the_error(client_logged_in, team):
    project = ProjectFactory(team=team)

    response = client_logged_in.post(
        reverse("advisor:decision_create", args=[project.pk]), {"title": "x" * 200}
    )

    assert response.status_code == 400
    assert "Ensure this value has at most 160 characters" in response.text
    assert not Decision.objects.exists()


def test_step_full_page_and_fragment(client_logged_in, team):
    decision = DecisionFactory(project__team=team)

    page = client_logged_in.get(step_url(decision, 1))
    fragment = client_logged_in.get(step_url(decision, 1), headers=HX)

    assert "<html" in page.text
    assert "Step 1 of 5" in page.text
    assert "<html" not in fragment.text
    assert 'id="wizard"' in fragment.text
    assert "Knowledge or behaviour" in fragment.text


def test_browser_back_reloads_pages_from_the_server(client_logged_in):
    # No htmx history cache and a full load on every miss: the browser's Back button always
    # shows the page as the server has it now, never a stale copy or a fragment.
    text = client_logged_in.get("/projects/").text

    config = json.loads(re.search(r"name=\"htmx-config\" content='([^']*)'", text).group(1))
    assert config["historyCacheSize"] == 0
    assert config["refreshOnHistoryMiss"] is True
    assert config["includeIndicatorStyles"] is False


def test_next_without_js_saves_and_redirects(client_logged_in, team):
    decision = DecisionFactory(project__team=team)

    response = client_logged_in.post(step_url(decision, 1), {"value": "both", "nav": "next"})

    assert response.status_code == 302
    assert response["Location"] == step_url(decision, 2)
    assert decision.answers.get().value == "both"


def test_next_with_htmx_returns_the_next_fragment_and_pushes_the_url(client_logged_in, team):
    decision = DecisionFactory(project__team=team)

    response = client_logged_in.post(
        step_url(decision, 1), {"value": "knowledge", "note": "n", "nav": "next"}, headers=HX
    )

    assert response.status_code == 200
    assert response["HX-Push-Url"] == step_url(decision, 2)
    assert "<html" not in response.text
    assert "Step 2 of 5" in response.text


def test_missing_choice_shows_the_error_at_the_field(client_logged_in, team):
    decision = DecisionFactory(project__team=team)

    response = client_logged_in.post(step_url(decision, 1), {"nav": "next"}, headers=HX)

    assert "Choose one of the answers to continue." in response.text
    assert "is-invalid" in response.text
    assert "HX-Push-Url" not in response
    assert not decision.answers.exists()


def test_a_steps_errors_are_tied_to_their_fields_for_screen_readers(client_logged_in, team):
    decision = DecisionFactory(project__team=team)
    too_long = "x" * (NOTE_MAX_LENGTH + 1)

    text = client_logged_in.post(
        step_url(decision, 1), {"note": too_long, "nav": "next"}, headers=HX
    ).text

    fieldset = re.search(r"<fieldset [^>]*>", text)[0]
    assert 'aria-describedby="id_value_helptext id_value_error"' in fieldset
    radios = re.findall(r'<input type="radio"[^>]*>', text)
    assert len(radios) == len(QUESTIONS[0].values)
    assert all('aria-invalid="true"' in radio and "required" in radio for radio in radios)
    assert re.search(r'<div id="id_value_error"[^>]*>.*Choose one of the answers', text)
    textarea = re.search(r"<textarea [^>]*>", text)[0]
    assert 'aria-describedby="id_note_helptext id_note_error"' in textarea
    assert 'aria-invalid="true"' in textarea
    assert re.search(r'<div id="id_note_error"[^>]*>.*Keep the note to 2,000', text)
    assert f"\n{too_long}</textarea>" in text  # what was typed is kept


def test_a_valid_step_describes_its_fields_without_errors(client_logged_in, team):
    decision = DecisionFactory(project__team=team)

    text = client_logged_in.get(step_url(decision, 1)).text

    assert 'aria-describedby="id_value_helptext"' in text
    assert 'aria-describedby="id_note_helptext"' in text
    assert "aria-invalid" not in text
    for n, choice in enumerate(QUESTIONS[0].choices):
        assert f'<label for="id_value_{n}" class="form-check-label">' in text
        assert escape(choice.label) in text


def test_tampered_choice_is_refused_with_a_message(client_logged_in, team):
    decision = DecisionFactory(project__team=team)

    response = client_logged_in.post(step_url(decision, 1), {"value": "<script>", "nav": "next"})

    assert response.status_code == 400
    assert "That is not one of the answers offered" in response.text
    assert checked_value(response.text) is None
    assert not decision.answers.exists()


def test_too_long_note_is_refused_and_the_text_is_kept(client_logged_in, team):
    decision = DecisionFactory(project__team=team)
    note = "a" * 2001

    response = client_logged_in.post(
        step_url(decision, 1), {"value": "knowledge", "note": note, "nav": "next"}
    )

    assert "Keep the note to 2,000 characters or fewer." in response.text
    assert note in response.text
    assert not decision.answers.exists()


def test_back_saves_a_valid_choice_and_goes_back(client_logged_in, team):
    decision = DecisionFactory(project__team=team)
    client_logged_in.post(step_url(decision, 1), {"value": "knowledge", "nav": "next"})

    response = client_logged_in.post(step_url(decision, 2), {"value": "rare", "nav": "back"})

    assert response["Location"] == step_url(decision, 1)
    assert decision.answers.get(question="data_change").value == "rare"


def test_back_without_a_choice_just_goes_back(client_logged_in, team):
    decision = DecisionFactory(project__team=team)
    client_logged_in.post(step_url(decision, 1), {"value": "knowledge", "nav": "next"})

    response = client_logged_in.post(step_url(decision, 2), {"nav": "back"}, headers=HX)

    assert response["HX-Push-Url"] == step_url(decision, 1)
    assert checked_value(response.text) == "knowledge"


def test_saved_answer_and_note_are_prefilled(client_logged_in, team):
    decision = DecisionFactory(project__team=team)
    client_logged_in.post(
        step_url(decision, 1), {"value": "behavior", "note": "Tone is off", "nav": "next"}
    )

    text = client_logged_in.get(step_url(decision, 1)).text

    assert checked_value(text) == "behavior"
    assert "Tone is off" in text


@pytest.mark.parametrize("step", [0, 6, 7, 99])
@pytest.mark.parametrize("method", ["get", "post"])
def test_step_out_of_range_redirects_with_a_message(client_logged_in, step, method, team):
    decision = DecisionFactory(project__team=team)

    response = getattr(client_logged_in, method)(
        step_url(decision, step), {"value": "knowledge"}, follow=True
    )

    assert response.redirect_chain[-1][0] == step_url(decision, 1)
    assert f"There is no step {step}" in response.text
    assert not decision.answers.exists()


def test_step_six_of_a_fully_answered_decision_is_not_a_question(client_logged_in, team):
    decision = answered_decision(project__team=team)

    response = client_logged_in.get(step_url(decision, 6), follow=True)

    assert response.redirect_chain[-1][0] == review_url(decision)
    assert "There is no step 6" in response.text


def test_posting_the_last_step_first_is_refused(client_logged_in, team):
    decision = DecisionFactory(project__team=team)

    response = client_logged_in.post(
        step_url(decision, 5), {"value": "plenty", "nav": "next"}, follow=True
    )

    assert response.redirect_chain[-1][0] == step_url(decision, 1)
    assert "Please answer this question first." in response.text
    assert not decision.answers.exists()


def test_posting_ahead_with_htmx_redirects_the_client(client_logged_in, team):
    decision = DecisionFactory(project__team=team)

    response = client_logged_in.post(
        step_url(decision, 3), {"value": "async", "nav": "next"}, headers=HX
    )

    assert response["HX-Redirect"] == step_url(decision, 1)


def test_last_step_leads_to_the_optional_refine_step(client_logged_in, team):
    decision = DecisionFactory(project__team=team)
    for step, value in enumerate(["knowledge", "rare", "async", "scaling"], start=1):
        client_logged_in.post(step_url(decision, step), {"value": value, "nav": "next"})

    response = client_logged_in.post(step_url(decision, 5), {"value": "some", "nav": "next"})

    assert response["Location"] == reverse("advisor:decision_refine", args=[decision.pk])
    decision.refresh_from_db()
    assert decision.current_step == 6


def test_review_lists_answers_with_edit_links(client_logged_in, team):
    decision = answered_decision(project__team=team)

    page = client_logged_in.get(review_url(decision))
    fragment = client_logged_in.get(review_url(decision), headers=HX)

    assert "Review your answers" in page.text
    assert "<html" in page.text
    assert "<html" not in fragment.text
    assert page.text.count("?return_to=review") == 10  # href and hx-get for each of five
    assert "Get recommendation" in page.text
    assert "It lacks information" in page.text


def test_review_before_all_answers_sends_back_to_the_open_question(client_logged_in, team):
    decision = DecisionFactory(project__team=team)

    response = client_logged_in.get(review_url(decision))

    assert response["Location"] == step_url(decision, 1)


def test_edit_from_review_returns_to_review(client_logged_in, team):
    decision = answered_decision(project__team=team)

    response = client_logged_in.post(
        step_url(decision, 2), {"value": "frequent", "nav": "next", "return_to": "review"}
    )

    assert response["Location"] == review_url(decision)
    assert decision.answers.get(question="data_change").value == "frequent"


def test_resume_goes_to_the_first_open_question(client_logged_in, team):
    decision = DecisionFactory(project__team=team)
    client_logged_in.post(step_url(decision, 1), {"value": "knowledge", "nav": "next"})
    client_logged_in.post(step_url(decision, 2), {"value": "rare", "nav": "next"})

    response = client_logged_in.get(decision.get_absolute_url())

    assert response["Location"] == step_url(decision, 3)


# --- Completing and the result --------------------------------------------------------------


def complete_url(decision: Decision) -> str:
    return reverse("advisor:decision_complete", args=[decision.pk])


def test_complete_shows_the_saved_result(client_logged_in, team):
    decision = answered_decision(project__team=team)

    response = client_logged_in.post(complete_url(decision), follow=True)

    assert response.redirect_chain[-1][0] == decision.get_absolute_url()
    text = response.text
    for expected in [
        "Recommended approach",
        "Retrieval (RAG)",
        "How each answer weighs",
        "What you give up",
        "What would change the advice",
        "The answers it was computed from",
        "Rules version",
    ]:
        assert expected in text
    assert text.index("Recommended approach") < text.index("How each answer weighs")


def test_completing_twice_shows_a_message_and_keeps_one_recommendation(client_logged_in, team):
    decision = answered_decision(project__team=team)
    client_logged_in.post(complete_url(decision))

    response = client_logged_in.post(complete_url(decision), follow=True)

    assert "already completed" in response.text
    assert Recommendation.objects.filter(decision=decision).count() == 1


def test_complete_with_missing_answers_goes_to_the_open_question(client_logged_in, team):
    decision = DecisionFactory(project__team=team)

    response = client_logged_in.post(complete_url(decision), follow=True)

    assert response.redirect_chain[-1][0] == step_url(decision, 1)
    assert "Every question needs an answer" in response.text
    assert not Recommendation.objects.exists()


def test_steps_of_a_completed_decision_send_to_the_result(client_logged_in, team):
    decision = completed_decision(project__team=team)

    get = client_logged_in.get(step_url(decision, 2), follow=True)
    post = client_logged_in.post(step_url(decision, 2), {"value": "frequent", "nav": "next"})

    assert get.redirect_chain[-1][0] == decision.get_absolute_url()
    assert "This decision is complete" in get.text
    assert post["Location"] == decision.get_absolute_url()
    assert decision.answers.get(question="data_change").value == "occasional"


def test_answer_posted_after_another_tab_completed_gets_a_message(client_logged_in, team):
    # The save reads the decision with its access check under the row lock
    # (services.answer_submit), so a completion by another tab is seen, never overwritten.
    decision = answered_decision(project__team=team)
    client_logged_in.post(complete_url(decision))

    response = client_logged_in.post(
        step_url(decision, 2), {"value": "frequent", "nav": "next"}, headers=HX
    )

    assert response["HX-Redirect"] == decision.get_absolute_url()
    assert decision.answers.get(question="data_change").value == "occasional"
    assert "answers can no longer change" in client_logged_in.get(decision.get_absolute_url()).text


def test_a_stored_answer_that_is_no_longer_a_choice_is_asked_again(client_logged_in, team):
    decision = answered_decision(project__team=team)
    decision.answers.filter(question="latency").update(value="retired-choice")

    step = client_logged_in.get(step_url(decision, 3))
    review = client_logged_in.get(review_url(decision))
    complete = client_logged_in.post(complete_url(decision), follow=True)

    assert step.status_code == 200
    assert checked_value(step.text) is None
    assert "retired-choice" in review.text
    assert complete.redirect_chain[-1][0] == step_url(decision, 3)
    assert "Every question needs an answer" in complete.text
    assert not Recommendation.objects.exists()


def test_notes_and_titles_are_escaped_everywhere(client_logged_in, team):
    payload = '<img src=x onerror="alert(1)">'
    project = ProjectFactory(team=team, name=payload, description=payload)
    decision = answered_decision(project=project, title=payload)
    decision.answers.filter(question="problem").update(note=payload)
    client_logged_in.post(complete_url(decision))

    pages = [
        "/projects/",
        project.get_absolute_url(),
        decision.get_absolute_url(),
        step_url(DecisionFactory(project=project, title=payload), 1),
    ]
    for url in pages:
        text = client_logged_in.get(url).text
        assert payload not in text, url
        assert "&lt;img src=x" in text, url


def test_pages_send_a_csp_with_a_nonce_and_no_unsafe_inline(client_logged_in):
    response = client_logged_in.get("/projects/")

    policy = response["Content-Security-Policy"]
    assert "'nonce-" in policy
    assert "unsafe-inline" not in policy
    scripts = re.findall(r"<script\b[^>]*>", response.text)
    assert scripts
    assert all(" src=" in tag and "nonce=" in tag for tag in scripts), scripts


@pytest.fixture
def csrf_client(user) -> Client:
    return client_for(user, enforce_csrf_checks=True)


def test_a_post_without_csrf_token_is_refused_with_a_page_that_says_so(csrf_client, team):
    decision = DecisionFactory(project__team=team)

    response = csrf_client.post(step_url(decision, 1), {"value": "knowledge", "nav": "next"})

    assert response.status_code == 403
    assert "This page had gone stale" in response.text
    assert not decision.answers.exists()


def test_an_htmx_post_without_csrf_token_reloads_the_page_with_a_message(csrf_client, team):
    decision = DecisionFactory(project__team=team)

    response = csrf_client.post(
        step_url(decision, 1), {"value": "knowledge", "nav": "next"}, headers=HX
    )

    assert response["HX-Refresh"] == "true"
    assert not decision.answers.exists()
    assert "that change was not saved" in csrf_client.get(step_url(decision, 1)).text


def test_an_htmx_request_after_the_session_ended_goes_to_the_login_page(client, team):
    decision = DecisionFactory(project__team=team)
    current_page = step_url(decision, 2)

    response = client.post(
        step_url(decision, 2),
        {"value": "rare", "nav": "next"},
        headers={**HX, "HX-Current-URL": f"http://testserver{current_page}"},
    )

    assert response["HX-Redirect"] == f"/accounts/login/?next={current_page}"
    assert not decision.answers.exists()


@pytest.mark.parametrize("name", ["decision_create", "decision_complete"])
def test_a_form_posted_after_the_session_ended_returns_to_its_page_after_login(client, name):
    page = "/decisions/1/review/"

    response = client.post(
        reverse(f"advisor:{name}", args=[1]), headers={"Referer": f"http://testserver{page}"}
    )
    elsewhere = client.post(
        reverse(f"advisor:{name}", args=[1]), headers={"Referer": "https://evil.example/x"}
    )

    assert response["Location"] == f"/accounts/login/?next={page}"
    assert elsewhere["Location"] == "/accounts/login/?next=/projects/"


def test_complete_with_htmx_redirects_the_client_to_the_result(client_logged_in, team):
    decision = answered_decision(project__team=team)

    response = client_logged_in.post(complete_url(decision), headers=HX)

    assert response["HX-Redirect"] == decision.get_absolute_url()


def test_return_to_review_with_questions_open_goes_to_the_first_open_one(client_logged_in, team):
    decision = DecisionFactory(project__team=team)

    response = client_logged_in.post(
        step_url(decision, 1), {"value": "knowledge", "nav": "next", "return_to": "review"}
    )
    fragment = client_logged_in.post(
        step_url(decision, 1),
        {"value": "knowledge", "nav": "next", "return_to": "review"},
        headers=HX,
    )

    assert response["Location"] == f"{step_url(decision, 2)}?return_to=review"
    assert fragment["HX-Push-Url"] == f"{step_url(decision, 2)}?return_to=review"
    assert "Step 2 of 5" in fragment.text


def test_back_while_editing_from_review_keeps_the_way_back_to_review(client_logged_in, team):
    decision = answered_decision(project__team=team)

    response = client_logged_in.post(
        step_url(decision, 3), {"value": "async", "nav": "back", "return_to": "review"}, headers=HX
    )

    assert response["HX-Push-Url"] == f"{step_url(decision, 2)}?return_to=review"
    assert "Save and review" in response.text


def test_an_empty_post_shows_the_error_instead_of_an_empty_form(client_logged_in, team):
    decision = DecisionFactory(project__team=team)

    response = client_logged_in.post(step_url(decision, 1))

    assert "Choose one of the answers to continue." in response.text


# --- Query budgets --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "budget"),
    [
        ("project list", 4),
        # Was 6: the timeline adds the author filter's choices and one prefetch each for the
        # status changes and the outcomes under the decisions (flat however many there are);
        # one more for the project's overdue reviews.
        ("project page", 10),
        ("new project", 5),
        ("step", 4),
        # 5, plus one for the refine step's answers.
        ("review", 6),
        # 4 (the snapshot comes with the decision), plus one for the decision it revisits and
        # those revisiting it, and one each for the outcomes and the comments (their metrics
        # only when there are outcomes).
        ("result", 7),
    ],
)
def test_each_page_keeps_to_its_query_budget(client_logged_in, page, budget, team):
    # Session and user are two of them; the rest is what the page itself reads. Access is
    # checked in the same query that fetches the object (joined to the user's membership).
    done = completed_decision(project__team=team)
    answered = answered_decision(project=done.project)
    urls = {
        "project list": "/projects/",
        "project page": done.project.get_absolute_url(),
        "new project": "/projects/new/",
        "step": step_url(answered, 3),
        "review": review_url(answered),
        "result": done.get_absolute_url(),
    }

    with CaptureQueriesContext(connection) as queries:
        response = client_logged_in.get(urls[page])

    assert response.status_code == 200
    assert len(queries) == budget, [query["sql"] for query in queries]


def test_a_step_post_keeps_to_its_query_budget(client_logged_in, team):
    decision = DecisionFactory(project__team=team)

    with CaptureQueriesContext(connection) as queries:
        response = client_logged_in.post(
            step_url(decision, 1), {"value": "knowledge", "nav": "next"}, headers=HX
        )

    assert response.status_code == 200
    # Session, user; then in the transaction: the decision with the access check and its row
    # lock in one statement, its answers (read once), the answer inserted, the progress
    # updated. Transaction control is counted apart: one transaction, nothing nested (the
    # test's own transaction turns it into a savepoint here).
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")
    statements = [q["sql"] for q in queries if not q["sql"].startswith(control)]
    assert len(statements) == 6, statements
    assert "FOR UPDATE" in statements[2] or connection.vendor == "sqlite", statements[2]
    opened = [q["sql"] for q in queries if q["sql"].startswith(("BEGIN", "SAVEPOINT"))]
    assert len(opened) == 1, opened
