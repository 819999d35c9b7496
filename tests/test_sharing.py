"""Share links: creating and revoking them, and the public page and JSON they open."""

from __future__ import annotations

import re
from datetime import timedelta
from html import escape

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisor import services
from advisor.domain.engine import Approach
from advisor.models import AuditEvent, Decision, Role, ShareLink
from advisor.selectors.documents import SNAPSHOT_ADDED, SNAPSHOT_FIELDS
from advisor.services import pagecache
from advisor.tokens import new_token
from tests.conftest import HX
from tests.factories import DecisionFactory, answered_decision, completed_decision, member

pytestmark = pytest.mark.django_db

AUTHOR = "ada-lovelace"
AUTHOR_EMAIL = "ada@analytical.example"
URL_SAFE = re.compile(r"[A-Za-z0-9_-]+")


@pytest.fixture
def author(team):
    return member(team, Role.EDITOR, username=AUTHOR, email=AUTHOR_EMAIL)


@pytest.fixture
def decision(team, author) -> Decision:
    """A completed decision of the logged-in user's team, with notes on two answers."""
    return completed_decision(
        notes={"problem": "Tickets ask about this week's prices", "cost": "Seed round"},
        project__team=team,
        project__name="Help centre",
        project__created_by=author,
        title="Support bot answers",
    )


def create_url(decision: Decision) -> str:
    return reverse("advisor:share_create", args=[decision.pk])


def revoke_url(link: ShareLink) -> str:
    return reverse("advisor:share_revoke", args=[link.decision_id, link.pk])


def json_url(link: ShareLink) -> str:
    return reverse("advisor:share_json", args=[link.token])


def sharing_section(html: str) -> str:
    start = html.index('<section id="sharing"')
    return html[start : html.index("</section>", start)]


def link_rows(html: str) -> list[str]:
    """The rows of the links table, in the order shown."""
    table = sharing_section(html)
    return table[table.index("<tbody>") : table.index("</tbody>")].split("<tr")[1:]


def meta(html: str, attribute: str, name: str) -> str:
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    assert match, name
    return match.group(1)


# --- Creating -------------------------------------------------------------------------------


def test_share_create_refuses_a_decision_in_progress(user, team):
    decision = DecisionFactory(project__team=team)

    with pytest.raises(services.Refused) as refused:
        services.share_create(decision=decision, user=user, expires_in_days=7)

    assert refused.value.message == (
        "Only a completed decision can be shared: finish its questions first."
    )
    assert not ShareLink.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SHARE_CREATED).exists()


def test_the_share_form_refuses_a_decision_in_progress_with_a_message(client_logged_in, team):
    decision = answered_decision(project__team=team)

    response = client_logged_in.post(create_url(decision), {"expires": "7"}, follow=True)

    assert response.redirect_chain[0] == (decision.get_absolute_url(), 302)
    assert "Only a completed decision can be shared" in response.text
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize(
    ("posted", "days", "label"),
    [
        ("7", 7, "expires in 7 days"),
        ("30", 30, "expires in 30 days"),
        ("90", 90, "expires in 90 days"),
        ("never", None, "never expires"),
    ],
)
def test_each_expiry_choice_sets_when_the_link_stops(
    client_logged_in, user, decision, posted, days, label
):
    before = timezone.now()

    client_logged_in.post(create_url(decision), {"expires": posted}, headers=HX)

    after = timezone.now()
    link = ShareLink.objects.get()
    if days is None:
        assert link.expires_at is None
    else:
        assert before + timedelta(days=days) <= link.expires_at <= after + timedelta(days=days)
    assert (link.created_by, link.is_live) == (user, True)
    event = AuditEvent.objects.get(action=AuditEvent.Action.SHARE_CREATED)
    assert event.summary == f"shared “Support bot answers” by link ({label})"


@pytest.mark.parametrize("days", [None, 7, 30, 90])
def test_share_create_sets_the_expiry_from_the_days(user, decision, days):
    before = timezone.now()

    link = services.share_create(decision=decision, user=user, expires_in_days=days)

    if days is None:
        assert link.expires_at is None
    else:
        assert (
            before + timedelta(days=days)
            <= link.expires_at
            <= timezone.now() + timedelta(days=days)
        )


@pytest.mark.parametrize("days", [0, 1, 365, -7])
def test_share_create_refuses_other_lifetimes(user, decision, days):
    with pytest.raises(services.Refused):
        services.share_create(decision=decision, user=user, expires_in_days=days)

    assert not ShareLink.objects.exists()


@pytest.mark.parametrize("posted", ["5", "365", "", "forever", "-7"])
def test_an_invalid_expiry_is_refused_next_to_the_field(client_logged_in, decision, posted):
    response = client_logged_in.post(create_url(decision), {"expires": posted}, headers=HX)

    assert response.status_code == 400
    assert "<html" not in response.text
    assert response.text.strip().startswith('<section id="sharing"')
    field = response.text[response.text.index('id="div_id_expires"') :]
    select = re.search(r"<select [^>]*>", field).group(0)
    assert "is-invalid" in select
    assert 'aria-describedby="id_expires_error"' in select
    error = re.search(r'<div id="id_expires_error" class="invalid-feedback">(.*?)</div>', field)
    expected = "Choose how long" if posted == "" else "Choose one of the lengths offered."
    assert expected in error.group(1)
    assert not ShareLink.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SHARE_CREATED).exists()


@pytest.mark.parametrize("lifecycle", [Decision.Lifecycle.PROPOSED, Decision.Lifecycle.ACCEPTED])
def test_an_invalid_expiry_without_htmx_shows_the_whole_page_with_the_error(
    client_logged_in, decision, lifecycle
):
    decision.lifecycle = lifecycle
    decision.save()

    response = client_logged_in.post(create_url(decision), {"expires": "5"})

    assert response.status_code == 400
    assert "<html" in response.text
    assert "Choose one of the lengths offered." in sharing_section(response.text)
    # The page has all its sections, the status and its forms too.
    assert 'id="lifecycle"' in response.text
    assert "Post comment" in response.text
    assert not ShareLink.objects.exists()


def test_an_invalid_expiry_for_a_decision_in_progress_is_refused_with_a_message(
    client_logged_in, team
):
    decision = answered_decision(project__team=team)

    response = client_logged_in.post(create_url(decision), {"expires": ""}, follow=True)

    assert response.redirect_chain[0] == (decision.get_absolute_url(), 302)
    assert "Only a completed decision can be shared" in response.text
    assert not ShareLink.objects.exists()


def test_creating_with_htmx_returns_the_sharing_section_with_the_new_link_first(
    client_logged_in, user, decision
):
    older = services.share_create(decision=decision, user=user, expires_in_days=7)

    response = client_logged_in.post(create_url(decision), {"expires": "30"}, headers=HX)

    new = ShareLink.objects.exclude(pk=older.pk).get()
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.strip().startswith('<section id="sharing"')
    assert "New link created: it is first in the list." in response.text
    first, second = link_rows(response.text)
    assert new.token in first
    assert 'class="table-success"' in first
    assert older.token in second


def test_creating_without_htmx_goes_back_to_the_sharing_section(client_logged_in, decision):
    response = client_logged_in.post(create_url(decision), {"expires": "7"})

    assert response.status_code == 302
    assert response["Location"] == f"{decision.get_absolute_url()}#sharing"
    page = client_logged_in.get(decision.get_absolute_url()).text
    assert "Share link created. Copy it from the list below." in page
    assert ShareLink.objects.get().token in sharing_section(page)


def test_a_viewer_sees_the_result_without_the_sharing_section(decision, viewer_client):
    page = viewer_client.get(decision.get_absolute_url())
    post = viewer_client.post(create_url(decision), {"expires": "7"})

    assert page.status_code == 200
    assert "Recommended approach" in page.text
    assert 'id="sharing"' not in page.text
    assert "Share this recommendation" not in page.text
    assert post.status_code == 403
    assert not ShareLink.objects.exists()


# --- Tokens ---------------------------------------------------------------------------------


def test_tokens_are_long_url_safe_and_unique(user, decision):
    links = [
        services.share_create(decision=decision, user=user, expires_in_days=None) for _ in range(3)
    ]

    for link in links:
        assert len(link.token) >= 32
        assert URL_SAFE.fullmatch(link.token)
    assert len({link.token for link in links}) == 3
    assert ShareLink._meta.get_field("token").unique


def test_a_thousand_tokens_are_all_distinct():
    tokens = [new_token() for _ in range(1000)]

    assert len(set(tokens)) == 1000
    assert all(len(token) >= 32 and URL_SAFE.fullmatch(token) for token in tokens)


# --- The public page and its JSON -----------------------------------------------------------


def test_the_share_page_shows_the_recommendation_and_nothing_about_people(client, user, decision):
    link = services.share_create(decision=decision, user=user, expires_in_days=None)
    rec = decision.recommendation

    response = client.get(link.get_absolute_url())

    text = response.text
    assert response.status_code == 200
    assert Approach(rec.approach).label == "Retrieval (RAG)"
    assert re.search(r"<h2 id=\"approach-heading\"[^>]*>Retrieval \(RAG\)</h2>", text)
    assert escape(rec.headline) in text
    assert "Support bot answers" in text
    for item in rec.rationale:
        assert f'<th scope="row">{escape(item["question_title"])}</th>' in text
        assert escape(item["answer_label"]) in text
        assert escape(item["why"]) in text
    for answer in rec.answers:
        assert f"<dt>{escape(answer['question_title'])}</dt>" in text
    assert escape("Tickets ask about this week's prices") in text
    assert "Seed round" in text
    for private in (AUTHOR, AUTHOR_EMAIL, user.username, user.email, "Started by"):
        assert private not in text
    assert "<form" not in text
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_share_page_has_a_preview_for_chat_apps(client, user, decision):
    link = services.share_create(decision=decision, user=user, expires_in_days=None)

    text = client.get(link.get_absolute_url()).text

    title = escape("Retrieval (RAG): Support bot answers")
    assert meta(text, "property", "og:title") == title
    assert meta(text, "property", "og:description") == escape(decision.recommendation.headline)
    assert meta(text, "name", "twitter:card") == "summary"
    assert meta(text, "name", "twitter:title") == title


def test_the_json_twin_has_the_same_recommendation_and_no_user_data(client, user, decision):
    link = services.share_create(decision=decision, user=user, expires_in_days=None)
    rec = decision.recommendation

    response = client.get(json_url(link))
    page = client.get(link.get_absolute_url()).text

    assert response.status_code == 200
    document = response.json()
    assert set(document) == {"decision", "recommendation"}
    assert document["decision"] == {
        "title": "Support bot answers",
        "project": "Help centre",
        "completed_at": rec.created_at.isoformat(),
    }
    assert set(document["recommendation"]) == {*SNAPSHOT_FIELDS, *SNAPSHOT_ADDED}
    for field in (*SNAPSHOT_FIELDS, *SNAPSHOT_ADDED):
        assert document["recommendation"][field] == getattr(rec, field), field
    assert Approach(document["recommendation"]["approach"]).label in page
    notes = {a["question"]: a["note"] for a in document["recommendation"]["answers"]}
    assert notes["cost"] == "Seed round"
    for private in (AUTHOR, AUTHOR_EMAIL, user.username, user.email):
        assert private not in response.text
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_each_view_is_counted_and_shown_on_the_decision_page(
    client, client_logged_in, user, decision
):
    link = services.share_create(decision=decision, user=user, expires_in_days=None)
    before = client_logged_in.get(decision.get_absolute_url()).text
    assert '<td data-label="Views">0</td>' in link_rows(before)[0]
    assert "Not yet" in link_rows(before)[0]

    client.get(link.get_absolute_url())
    client.get(link.get_absolute_url())
    client.get(json_url(link))

    link.refresh_from_db()
    assert link.view_count == 3
    assert timezone.now() - link.last_viewed_at < timedelta(minutes=1)
    (row,) = link_rows(client_logged_in.get(decision.get_absolute_url()).text)
    assert '<td data-label="Views">3</td>' in row
    assert "Not yet" not in row
    assert f'<time datetime="{link.last_viewed_at:%Y-%m-%dT%H:%M:%S}' in row


@pytest.mark.parametrize("state", ["revoked", "expired", "unknown"])
def test_a_link_that_does_not_open_is_404_on_page_and_json(client, user, decision, state):
    link = services.share_create(decision=decision, user=user, expires_in_days=7)
    if state == "revoked":
        services.share_revoke(link=link, user=user)
    elif state == "expired":
        ShareLink.objects.filter(pk=link.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    else:
        link.token = new_token()

    page = client.get(link.get_absolute_url())
    document = client.get(json_url(link))

    assert page.status_code == 404
    assert "This link does not open anything" in page.text
    assert "Support bot answers" not in page.text
    assert document.status_code == 404
    assert document.json() == {"error": "Not found."}
    assert ShareLink.objects.get().view_count == 0


def test_the_share_page_is_rendered_once_then_served_from_the_cache(client, user, decision):
    link = services.share_create(decision=decision, user=user, expires_in_days=None)
    first = client.get(link.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        again = client.get(link.get_absolute_url())

    assert "advisor/share_page.html" in [t.name for t in first.templates]
    assert again.templates == []
    assert again.text == first.text
    # Whether the link still opens is asked of the database every time, in the statement
    # that counts the view.
    assert [q["sql"].split()[0] for q in queries] == ["UPDATE"]
    link.refresh_from_db()
    assert link.view_count == 2


def test_a_renamed_project_shows_on_the_share_page_at_once(
    client, user, decision, django_capture_on_commit_callbacks
):
    link = services.share_create(decision=decision, user=user, expires_in_days=None)
    assert "Help centre" in client.get(link.get_absolute_url()).text
    project = decision.project

    with django_capture_on_commit_callbacks(execute=True):
        services.project_update(
            project=project, user=user, name="Support desk", description="", archived=False
        )

    text = client.get(link.get_absolute_url()).text
    assert "Support desk" in text
    assert "Help centre" not in text


def test_the_share_page_shows_the_status_and_follows_a_change_at_once(
    client, user, decision, django_capture_on_commit_callbacks
):
    link = services.share_create(decision=decision, user=user, expires_in_days=None)
    before = client.get(link.get_absolute_url()).text

    with django_capture_on_commit_callbacks(execute=True):
        services.decision_status_change(decision=decision, user=user, to_status="rejected")

    after = client.get(link.get_absolute_url()).text
    assert "Proposed</span>" in before
    assert "The team has not settled on it yet." in before
    assert "Rejected</span>" in after
    assert "The team decided against it." in after


def test_a_change_that_is_rolled_back_leaves_the_cached_page_in_place(
    client, user, decision, django_capture_on_commit_callbacks
):
    link = services.share_create(decision=decision, user=user, expires_in_days=None)
    client.get(link.get_absolute_url())

    def change_then_fail() -> None:
        with transaction.atomic():
            services.decision_status_change(decision=decision, user=user, to_status="rejected")
            raise RuntimeError  # the change never commits, so the page must not be dropped

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        change_then_fail()

    assert callbacks == []

    assert client.get(link.get_absolute_url()).templates == []


def test_a_page_cached_for_one_host_is_rendered_afresh_for_another(client, user, decision):
    link = services.share_create(decision=decision, user=user, expires_in_days=None)
    client.get(link.get_absolute_url())

    other = client.get(link.get_absolute_url(), HTTP_HOST="localhost")

    assert "advisor/share_page.html" in [t.name for t in other.templates]
    assert meta(other.text, "property", "og:url") == f"http://localhost{link.get_absolute_url()}"


@pytest.mark.parametrize("method", ["get", "head"])
def test_a_cached_page_is_not_served_once_its_link_has_expired_or_been_revoked(
    client, user, decision, method
):
    expiring = services.share_create(decision=decision, user=user, expires_in_days=7)
    revoked = services.share_create(decision=decision, user=user, expires_in_days=None)
    for link in (expiring, revoked):
        assert client.get(link.get_absolute_url()).status_code == 200

    ShareLink.objects.filter(pk=expiring.pk).update(expires_at=timezone.now())
    services.share_revoke(link=revoked, user=user)  # its on-commit forgetting never runs here

    for link in (expiring, revoked):
        assert getattr(client, method)(link.get_absolute_url()).status_code == 404


def test_a_query_string_neither_changes_the_share_page_nor_adds_to_the_cache(
    client, user, decision
):
    link = services.share_create(decision=decision, user=user, expires_in_days=None)
    plain = client.get(link.get_absolute_url())

    odd = client.get(link.get_absolute_url() + "?utm_source=chat")

    assert odd.templates == []
    assert odd.text == plain.text
    assert meta(plain.text, "property", "og:url") == f"http://testserver{link.get_absolute_url()}"


def test_a_new_release_digest_changes_with_any_template_or_module(tmp_path, monkeypatch):
    (tmp_path / "advisor").mkdir()
    (tmp_path / "templates").mkdir()
    (tmp_path / "advisor" / "views.py").write_text("A = 1\n")
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>one</p>")
    monkeypatch.setattr(pagecache, "ROOT", tmp_path)
    before = pagecache._release_digest()

    page.write_text("<p>two</p>")

    assert pagecache._release_digest() != before


def test_the_release_digest_ignores_bytecode_written_as_modules_load(tmp_path, monkeypatch):
    (tmp_path / "advisor" / "__pycache__").mkdir(parents=True)
    (tmp_path / "advisor" / "views.py").write_text("A = 1\n")
    monkeypatch.setattr(pagecache, "ROOT", tmp_path)
    before = pagecache._release_digest()

    (tmp_path / "advisor" / "__pycache__" / "views.cpython-313.pyc").write_bytes(b"\x00\x01")

    assert pagecache._release_digest() == before


# --- Revoking -------------------------------------------------------------------------------


def test_revoking_takes_effect_at_once(client, user, decision):
    link = services.share_create(decision=decision, user=user, expires_in_days=None)
    assert client.get(link.get_absolute_url()).status_code == 200

    services.share_revoke(link=link, user=user)

    assert client.get(link.get_absolute_url()).status_code == 404
    assert client.get(json_url(link)).status_code == 404


def test_revoking_twice_changes_nothing_the_second_time(user, decision, author):
    link = services.share_create(decision=decision, user=user, expires_in_days=None)
    services.share_revoke(link=link, user=user)
    first = ShareLink.objects.get(pk=link.pk)

    again = services.share_revoke(link=link, user=author)

    assert (again.revoked_at, again.revoked_by) == (first.revoked_at, user)
    event = AuditEvent.objects.get(action=AuditEvent.Action.SHARE_REVOKED)
    assert (event.actor, event.summary) == (user, "revoked a share link to “Support bot answers”")


def test_revoking_twice_through_the_page_records_one_event(client_logged_in, user, decision):
    link = services.share_create(decision=decision, user=user, expires_in_days=None)

    client_logged_in.post(revoke_url(link), headers=HX)
    revoked_at = ShareLink.objects.get().revoked_at
    second = client_logged_in.post(revoke_url(link), headers=HX)

    assert second.status_code == 200
    assert ShareLink.objects.get().revoked_at == revoked_at
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SHARE_REVOKED).count() == 1


def test_revoking_with_htmx_returns_the_section_with_the_link_marked(
    client_logged_in, user, decision
):
    link = services.share_create(decision=decision, user=user, expires_in_days=None)

    response = client_logged_in.post(revoke_url(link), headers=HX)

    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.strip().startswith('<section id="sharing"')
    assert "Link revoked: it no longer opens." in response.text
    (row,) = link_rows(response.text)
    assert "Revoked" in row
    assert link.token not in row
    assert revoke_url(link) not in row


def test_revoking_without_htmx_goes_back_to_the_sharing_section(client_logged_in, user, decision):
    link = services.share_create(decision=decision, user=user, expires_in_days=None)

    response = client_logged_in.post(revoke_url(link))

    assert response["Location"] == f"{decision.get_absolute_url()}#sharing"
    page = client_logged_in.get(response["Location"]).text
    assert "Share link revoked: it no longer opens." in page
    link.refresh_from_db()
    assert (link.is_live, link.revoked_by) == (False, user)


def test_a_viewer_cannot_revoke(user, decision, viewer_client):
    link = services.share_create(decision=decision, user=user, expires_in_days=None)

    response = viewer_client.post(revoke_url(link))

    assert response.status_code == 403
    link.refresh_from_db()
    assert link.is_live


# --- The list of links on the decision page -------------------------------------------------


def test_the_decision_page_lists_links_newest_first_with_their_details(
    client_logged_in, user, author, decision
):
    live = services.share_create(decision=decision, user=author, expires_in_days=None)
    expired = services.share_create(decision=decision, user=user, expires_in_days=7)
    ShareLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    revoked = services.share_create(decision=decision, user=user, expires_in_days=90)
    services.share_revoke(link=revoked, user=user)
    # Oldest first in time, whatever the order of their ids.
    now = timezone.now()
    for age, link in ((3, live), (2, expired), (1, revoked)):
        ShareLink.objects.filter(pk=link.pk).update(created_at=now - timedelta(hours=age))

    rows = link_rows(client_logged_in.get(decision.get_absolute_url()).text)

    newest, middle, oldest = rows
    assert '<span class="badge text-bg-secondary">Revoked</span>' in newest
    assert '<span class="badge text-bg-secondary">Expired</span>' in middle
    assert live.token in oldest
    assert f'<td data-label="Created">{user.username}, <time' in newest
    assert f'<td data-label="Created">{AUTHOR}, <time' in oldest
    assert '<td data-label="Expires">Never</td>' in oldest
    assert '<td data-label="Expires">Never</td>' not in newest + middle
    assert all('<td data-label="Views">0</td>' in row and "Not yet" in row for row in rows)
    assert [">Revoke</button>" in row for row in rows] == [False, False, True]
    assert revoke_url(live) in oldest
    assert revoked.token not in newest
    assert expired.token not in middle


def test_the_decision_page_says_when_there_are_no_links(client_logged_in, decision):
    text = client_logged_in.get(decision.get_absolute_url()).text

    assert "No share links yet." in sharing_section(text)


def test_a_visitors_own_messages_wait_for_their_next_page_in_the_app(
    client_logged_in, user, decision
):
    link = services.share_create(decision=decision, user=user, expires_in_days=None)
    client_logged_in.post(create_url(decision), {"expires": "7"})  # queues "Share link created"

    shared = client_logged_in.get(link.get_absolute_url()).text
    later = client_logged_in.get(decision.get_absolute_url()).text

    assert "Share link created" not in shared
    assert "Share link created" in later


@pytest.mark.parametrize("token", ["a" * 65, "not a token", "%3Cscript%3E", "x.y"])
def test_a_malformed_token_gets_the_same_private_404(client, user, decision, token):
    unknown = client.get(f"/s/{new_token()}/")

    response = client.get(f"/s/{token}/")

    assert response.status_code == 404
    assert response.content == unknown.content
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_head_request_is_not_counted_as_a_view(client, user, decision):
    link = services.share_create(decision=decision, user=user, expires_in_days=None)

    assert client.head(link.get_absolute_url()).status_code == 200

    link.refresh_from_db()
    assert link.view_count == 0
