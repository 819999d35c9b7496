"""Comments: members (viewers included) talk about a decision; only authors delete theirs."""

from __future__ import annotations

import re
from html import escape

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from advisor import services
from advisor.models import COMMENT_MAX_LENGTH, AuditEvent, Comment, Decision
from tests.conftest import HX, client_for
from tests.factories import answered_decision, completed_decision, member

pytestmark = pytest.mark.django_db

NOT_THE_AUTHOR = "Only the person who wrote a comment can delete it."


@pytest.fixture
def decision(team) -> Decision:
    return completed_decision(project__team=team, title="Support bot answers")


def create_url(decision: Decision) -> str:
    return reverse("advisor:comment_create", args=[decision.pk])


def delete_url(comment: Comment) -> str:
    return reverse("advisor:comment_delete", args=[comment.decision_id, comment.pk])


def comments_section(html: str) -> str:
    start = html.index('<section id="comments"')
    return html[start : html.index("</section>", start)]


def textarea(html: str) -> str:
    return re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', html, re.DOTALL).group(0)


def body_block(html: str) -> str:
    """The comment field's wrapper: label, text box and its error together."""
    start = html.index('<div id="div_id_body"')
    return html[start : html.index("</form>", start)]


# --- The services --------------------------------------------------------------------------


def test_comment_add_keeps_the_text_stripped_and_records_who(user, decision):
    comment = services.comment_add(decision=decision, user=user, body="  Line one\r\nLine two \n")

    assert comment.body == "Line one\nLine two"
    assert comment.author == user
    assert comment.author_name == user.username
    event = AuditEvent.objects.get(action=AuditEvent.Action.COMMENT_ADDED)
    assert event.actor == user
    assert event.summary == "commented on “Support bot answers”"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", services.COMMENT_EMPTY),
        (" \n\t ", services.COMMENT_EMPTY),
        ("x" * (COMMENT_MAX_LENGTH + 1), services.COMMENT_TOO_LONG),
    ],
    ids=["empty", "blank", "too-long"],
)
def test_comment_add_refuses_empty_and_too_long_text(user, decision, body, error):
    with pytest.raises(ValidationError) as refused:
        services.comment_add(decision=decision, user=user, body=body)

    assert refused.value.message_dict == {"body": [error]}
    assert not Comment.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.COMMENT_ADDED).exists()


def test_a_comment_of_exactly_the_maximum_length_is_kept(user, decision):
    body = "x" * (COMMENT_MAX_LENGTH - 2) + "\r\ny"

    comment = services.comment_add(decision=decision, user=user, body=body)

    assert len(comment.body) == COMMENT_MAX_LENGTH


def test_comment_add_refuses_a_decision_in_progress(user, team):
    decision = answered_decision(project__team=team)

    with pytest.raises(services.Refused) as refused:
        services.comment_add(decision=decision, user=user, body="Early thoughts")

    assert refused.value.message == "Comments open once the decision is complete."
    assert not Comment.objects.exists()


def test_comment_delete_removes_ones_own_and_records_it(user, decision):
    comment = services.comment_add(decision=decision, user=user, body="Oops")

    services.comment_delete(comment=comment, user=user)

    assert not Comment.objects.exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.COMMENT_DELETED)
    assert event.actor == user
    assert event.summary == "deleted their comment on “Support bot answers”"


def test_comment_delete_refuses_anyone_but_the_author(team, user, decision, viewer):
    comment = services.comment_add(decision=decision, user=viewer, body="Mine")

    with pytest.raises(services.NotTheAuthor) as refused:
        services.comment_delete(comment=comment, user=user)

    assert str(refused.value) == NOT_THE_AUTHOR
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.COMMENT_DELETED).exists()


def test_a_comment_whose_author_left_can_be_deleted_by_nobody(user, decision, viewer):
    comment = services.comment_add(decision=decision, user=viewer, body="From a past member")
    viewer.delete()
    comment.refresh_from_db()

    with pytest.raises(services.NotTheAuthor):
        services.comment_delete(comment=comment, user=user)

    assert comment.author_name == "vera-viewer"


# --- Posting through the page --------------------------------------------------------------


def test_posting_with_htmx_returns_the_comments_with_an_empty_text_box(client_logged_in, decision):
    response = client_logged_in.post(
        create_url(decision), {"body": "Start with RAG?\nYes."}, headers=HX
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    section = comments_section(response.text)
    assert '<p class="comment-status" role="status">Comment posted.</p>' in section
    assert '<p class="preserve-lines mb-1">Start with RAG?\nYes.</p>' in section
    assert textarea(section).endswith(">\n</textarea>")
    # Focus goes back to the text box for the next comment.
    assert "data-focus-after-swap" in textarea(section)
    assert Comment.objects.get().body == "Start with RAG?\nYes."


def test_posting_without_htmx_goes_back_to_the_comments_with_a_message(client_logged_in, decision):
    response = client_logged_in.post(create_url(decision), {"body": "Looks right"}, follow=True)

    assert response.redirect_chain == [(f"{decision.get_absolute_url()}#comments", 302)]
    assert "Comment posted." in response.text
    assert "Looks right" in comments_section(response.text)
    # A full page load must not pull focus into the comments.
    assert "data-focus-after-swap" not in response.text


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("   ", services.COMMENT_EMPTY),
        ("y" * (COMMENT_MAX_LENGTH + 1), services.COMMENT_TOO_LONG),
    ],
    ids=["empty", "too-long"],
)
@pytest.mark.parametrize("hx", [True, False], ids=["htmx", "plain"])
def test_invalid_text_shows_the_error_next_to_the_field_and_keeps_it(
    client_logged_in, decision, body, error, hx
):
    response = client_logged_in.post(create_url(decision), {"body": body}, headers=HX if hx else {})

    assert response.status_code == 400
    assert ("<html" in response.text) is not hx
    if not hx:
        assert "Comments on “Support bot answers”" in response.text
    assert escape(error) in body_block(response.text)
    assert 'aria-invalid="true"' in textarea(response.text)
    if body.strip():
        assert f">\n{body}</textarea>" in response.text
    assert not Comment.objects.exists()


def test_line_breaks_count_as_one_character_as_the_browser_counts_them(client_logged_in, decision):
    body = "\r\n".join(["z" * 99] * 40)  # 3,960 characters and 39 line breaks

    response = client_logged_in.post(create_url(decision), {"body": body}, headers=HX)

    assert response.status_code == 200
    assert len(Comment.objects.get().body) == 3999


def test_a_viewer_may_comment(decision, viewer):
    response = client_for(viewer).post(create_url(decision), {"body": "Viewer here"}, headers=HX)

    assert response.status_code == 200
    assert Comment.objects.get().author == viewer


def test_a_member_of_another_team_cannot_comment_or_see_comments(user, decision):
    services.comment_add(decision=decision, user=user, body="Team only")
    outsider = client_for(member(completed_decision().project.team))

    posted = outsider.post(create_url(decision), {"body": "Let me in"})
    page = outsider.get(decision.get_absolute_url())

    assert posted.status_code == 404
    assert page.status_code == 404
    assert "Team only" not in page.text
    assert Comment.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_log_in(decision):
    response = Client().post(create_url(decision), {"body": "Hello"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Comment.objects.exists()


def test_the_public_share_page_shows_no_comments_and_no_form(user, decision):
    services.comment_add(decision=decision, user=user, body="Internal remark")
    link = services.share_create(decision=decision, user=user, expires_in_days=None)

    response = Client().get(link.get_absolute_url())

    assert response.status_code == 200
    assert "Internal remark" not in response.text
    assert 'id="comments"' not in response.text
    assert "<form" not in response.text


def test_commenting_on_a_decision_in_progress_is_refused_with_a_message(client_logged_in, team):
    decision = answered_decision(project__team=team)

    response = client_logged_in.post(create_url(decision), {"body": "Early"}, follow=True)

    assert "Comments open once the decision is complete." in response.text
    assert not Comment.objects.exists()


# --- Reading -------------------------------------------------------------------------------


def test_comments_show_oldest_first_with_author_time_and_line_breaks(
    client_logged_in, user, decision, viewer
):
    services.comment_add(decision=decision, user=user, body="First\nsecond line")
    services.comment_add(decision=decision, user=viewer, body="Reply")

    section = comments_section(client_logged_in.get(decision.get_absolute_url()).text)

    assert section.index("First") < section.index("Reply")
    assert '<p class="preserve-lines mb-1">First\nsecond line</p>' in section
    assert f'<span class="fw-semibold text-body">{user.username}</span>' in section
    assert '<span class="fw-semibold text-body">vera-viewer</span>' in section
    assert "<time datetime=" in section


def test_html_in_comments_is_escaped_and_not_linked(client_logged_in, user, decision):
    payload = '<script>alert(1)</script> <a href="https://evil.example">x</a>'
    services.comment_add(decision=decision, user=user, body=payload)

    response = client_logged_in.get(decision.get_absolute_url())

    assert payload not in response.text
    assert "<script>alert(1)" not in response.text
    assert escape(payload) in comments_section(response.text)
    assert 'href="https://evil.example"' not in response.text


def test_only_ones_own_comments_offer_delete_named_after_the_comment(
    client_logged_in, user, decision, viewer
):
    services.comment_add(decision=decision, user=user, body="My own remark")
    services.comment_add(decision=decision, user=viewer, body="Someone else's")

    section = comments_section(client_logged_in.get(decision.get_absolute_url()).text)

    labels = re.findall(r'aria-label="(Delete your comment[^"]*)"', section)
    assert labels == ["Delete your comment “My own remark”"]


def test_a_viewer_sees_the_form_and_the_comments(decision, user, viewer):
    services.comment_add(decision=decision, user=user, body="Hello viewers")

    section = comments_section(client_for(viewer).get(decision.get_absolute_url()).text)

    assert "Hello viewers" in section
    assert "Post comment" in section
    assert "Your comment" in section


def test_the_empty_state_says_what_to_do(client_logged_in, decision):
    section = comments_section(client_logged_in.get(decision.get_absolute_url()).text)

    assert "No comments yet. Ask a question, add context, or say how it is going." in section


# --- Deleting through the page -------------------------------------------------------------


@pytest.mark.parametrize("hx", [True, False], ids=["htmx", "plain"])
def test_the_author_deletes_their_comment(decision, viewer, hx):
    comment = services.comment_add(decision=decision, user=viewer, body="Never mind")

    response = client_for(viewer).post(delete_url(comment), headers=HX if hx else {})

    assert not Comment.objects.exists()
    if hx:
        assert response.status_code == 200
        assert "<html" not in response.text
        assert "Comment deleted." in response.text
        assert "Never mind" not in response.text
    else:
        assert response.status_code == 302
        assert response["Location"] == f"{decision.get_absolute_url()}#comments"


@pytest.mark.parametrize("hx", [True, False], ids=["htmx", "plain"])
def test_an_owner_cannot_delete_someone_elses_comment(client_logged_in, decision, viewer, hx):
    comment = services.comment_add(decision=decision, user=viewer, body="Keep me")

    response = client_logged_in.post(delete_url(comment), headers=HX if hx else {})

    assert response.status_code == 403
    if hx:
        assert response["HX-Refresh"] == "true"
        reloaded = client_logged_in.get(decision.get_absolute_url())
        assert escape(NOT_THE_AUTHOR) in reloaded.text
    else:
        assert escape(NOT_THE_AUTHOR) in response.text
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_a_comment_named_through_another_decision_is_not_found(client_logged_in, user, decision):
    comment = services.comment_add(decision=decision, user=user, body="Here")
    other = completed_decision(project=decision.project)

    response = client_logged_in.post(reverse("advisor:comment_delete", args=[other.pk, comment.pk]))

    assert response.status_code == 404
    assert Comment.objects.filter(pk=comment.pk).exists()
