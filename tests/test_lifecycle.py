"""A completed decision's lifecycle: the table of moves, the services that make them, the
panel and forms that call them. Review dates and the lists of due reviews: test_reviews.py."""

from __future__ import annotations

import re
from datetime import timedelta
from html import escape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advisor import services
from advisor.domain import lifecycle
from advisor.domain.lifecycle import ACCEPTED, DEPRECATED, PROPOSED, REJECTED, STATUSES, SUPERSEDED
from advisor.models import AuditEvent, Decision, StatusChange
from tests.conftest import HX
from tests.factories import (
    RAG_ANSWERS,
    DecisionFactory,
    ProjectFactory,
    in_status,
)

ALREADY = "This decision is already {}."
FROM_PROPOSED = "Only an accepted decision can be {}: accept this one first, or reject it."
FROM_ACCEPTED = (
    "An accepted decision cannot be {} now: deprecate it, or supersede it with a newer decision."
)
NEEDS_REPLACEMENT = "To supersede a decision, choose the decision that replaces it."
STAYS_REJECTED = "A rejected decision stays rejected: revisit it to decide again."
STAYS_SUPERSEDED = (
    "A superseded decision stays superseded: the decision that replaced it is the one that "
    "holds now."
)
STAYS_DEPRECATED = "A deprecated decision stays deprecated: revisit it to decide again."

# Every pair of statuses as a plain status change: None where the move is legal, else the
# refusal the user reads.
PLAIN_MOVES = {
    (PROPOSED, PROPOSED): ALREADY.format(PROPOSED),
    (PROPOSED, ACCEPTED): None,
    (PROPOSED, REJECTED): None,
    (PROPOSED, SUPERSEDED): FROM_PROPOSED.format(SUPERSEDED),
    (PROPOSED, DEPRECATED): FROM_PROPOSED.format(DEPRECATED),
    (ACCEPTED, PROPOSED): FROM_ACCEPTED.format(PROPOSED),
    (ACCEPTED, ACCEPTED): ALREADY.format(ACCEPTED),
    (ACCEPTED, REJECTED): FROM_ACCEPTED.format(REJECTED),
    (ACCEPTED, SUPERSEDED): NEEDS_REPLACEMENT,
    (ACCEPTED, DEPRECATED): None,
    (REJECTED, PROPOSED): STAYS_REJECTED,
    (REJECTED, ACCEPTED): STAYS_REJECTED,
    (REJECTED, REJECTED): ALREADY.format(REJECTED),
    (REJECTED, SUPERSEDED): STAYS_REJECTED,
    (REJECTED, DEPRECATED): STAYS_REJECTED,
    (SUPERSEDED, PROPOSED): STAYS_SUPERSEDED,
    (SUPERSEDED, ACCEPTED): STAYS_SUPERSEDED,
    (SUPERSEDED, REJECTED): STAYS_SUPERSEDED,
    (SUPERSEDED, SUPERSEDED): ALREADY.format(SUPERSEDED),
    (SUPERSEDED, DEPRECATED): STAYS_SUPERSEDED,
    (DEPRECATED, PROPOSED): STAYS_DEPRECATED,
    (DEPRECATED, ACCEPTED): STAYS_DEPRECATED,
    (DEPRECATED, REJECTED): STAYS_DEPRECATED,
    (DEPRECATED, SUPERSEDED): STAYS_DEPRECATED,
    (DEPRECATED, DEPRECATED): ALREADY.format(DEPRECATED),
}

# The supersede action, from each status of the decision being replaced.
SUPERSEDE_FROM = {
    PROPOSED: FROM_PROPOSED.format(SUPERSEDED),
    ACCEPTED: None,
    REJECTED: STAYS_REJECTED,
    SUPERSEDED: ALREADY.format(SUPERSEDED),
    DEPRECATED: STAYS_DEPRECATED,
}

PAIRS = [pytest.param(a, b, id=f"{a}-to-{b}") for a, b in PLAIN_MOVES]
LEGAL = [(a, b) for (a, b), refusal in PLAIN_MOVES.items() if refusal is None]


# --- The table (pure) ------------------------------------------------------------------------


def test_the_table_covers_every_pair_of_the_models_statuses():
    assert set(STATUSES) == set(Decision.Lifecycle.values)
    assert set(PLAIN_MOVES) == {(a, b) for a in STATUSES for b in STATUSES}
    assert LEGAL == [(PROPOSED, ACCEPTED), (PROPOSED, REJECTED), (ACCEPTED, DEPRECATED)]


@pytest.mark.parametrize(("from_status", "to_status"), PAIRS)
def test_each_plain_move_is_allowed_or_refused_with_its_reason(from_status, to_status):
    assert lifecycle.refusal(from_status, to_status) == PLAIN_MOVES[from_status, to_status]


@pytest.mark.parametrize("from_status", STATUSES)
def test_superseding_is_allowed_from_accepted_only(from_status):
    refusal = lifecycle.refusal(from_status, SUPERSEDED, superseding=True)

    assert refusal == SUPERSEDE_FROM[from_status]
    assert lifecycle.can_be_superseded(from_status) == (refusal is None)


@pytest.mark.parametrize(
    ("from_status", "moves"),
    [
        (PROPOSED, (ACCEPTED, REJECTED)),
        (ACCEPTED, (DEPRECATED,)),
        (REJECTED, ()),
        (SUPERSEDED, ()),
        (DEPRECATED, ()),
    ],
)
def test_the_buttons_offer_the_legal_plain_moves_only(from_status, moves):
    assert lifecycle.moves(from_status) == moves
    assert all(lifecycle.refusal(from_status, to) is None for to in moves)


def test_an_unknown_status_is_refused():
    assert lifecycle.refusal(PROPOSED, "approved") == "Choose one of the statuses offered."


# --- Setting up decisions in a given status ----------------------------------------------------


def rows() -> dict[str, list[tuple]]:
    """Every row a lifecycle write could touch."""
    return {
        model.__name__: list(model.objects.order_by("pk").values_list())
        for model in (Decision, StatusChange, AuditEvent)
    }


def status_of(decision: Decision) -> str:
    return Decision.objects.values_list("lifecycle", flat=True).get(pk=decision.pk)


def answers(**changes: str) -> dict[str, str]:
    return {**RAG_ANSWERS, **changes}


def team_decision(team, status: str = PROPOSED, project=None, **kwargs) -> Decision:
    return in_status(status, project=project or ProjectFactory(team=team), **kwargs)


# --- The services --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), PAIRS)
def test_every_move_through_the_service(team, editor, from_status, to_status):
    decision = team_decision(team, from_status)
    refusal = PLAIN_MOVES[from_status, to_status]
    before = rows()

    if refusal:
        with pytest.raises(services.Refused) as refused:
            services.decision_status_change(
                decision=decision, user=editor, to_status=to_status, reason="Because"
            )
        assert refused.value.message == refusal
        assert rows() == before
        return
    saved = services.decision_status_change(
        decision=decision, user=editor, to_status=to_status, reason="Because"
    )

    assert saved.lifecycle == to_status == status_of(decision)
    change = StatusChange.objects.get(decision=decision)
    assert (change.from_status, change.to_status) == (from_status, to_status)
    assert (change.actor, change.actor_name, change.reason) == (editor, "erin-editor", "Because")
    assert change.replaced_by is None
    event = AuditEvent.objects.get(action=AuditEvent.Action.STATUS_CHANGED)
    assert event.summary.startswith(f"marked “{decision.title}” as {to_status}")
    assert (event.actor, event.decision) == (editor, decision)


@pytest.mark.django_db
def test_an_unfinished_decision_has_no_lifecycle(team, editor):
    decision = DecisionFactory(project=ProjectFactory(team=team))
    before = rows()

    with pytest.raises(services.Refused) as refused:
        services.decision_status_change(decision=decision, user=editor, to_status=ACCEPTED)

    assert refused.value.message == services.lifecycle.NOT_COMPLETE
    assert rows() == before


@pytest.mark.django_db
def test_the_service_checks_the_status_the_row_has_now_not_the_one_passed_in(team, editor):
    decision = team_decision(team, PROPOSED)
    stale = Decision.objects.get(pk=decision.pk)
    services.decision_status_change(decision=decision, user=editor, to_status=REJECTED)
    before = rows()

    with pytest.raises(services.Refused) as refused:
        services.decision_status_change(decision=stale, user=editor, to_status=ACCEPTED)

    assert refused.value.message == STAYS_REJECTED
    assert rows() == before


@pytest.mark.django_db
@pytest.mark.parametrize("old_status", STATUSES)
def test_supersede_from_each_status_of_the_old_decision(team, editor, old_status):
    project = ProjectFactory(team=team)
    old = team_decision(team, old_status, project=project, title="Old way")
    new = team_decision(team, PROPOSED, project=project, title="New way")
    refusal = SUPERSEDE_FROM[old_status]
    before = rows()

    if refusal:
        with pytest.raises(services.Refused) as refused:
            services.decision_supersede(decision=old, replaced_by=new, user=editor)
        assert refused.value.message == refusal
        assert rows() == before
        return
    services.decision_supersede(decision=old, replaced_by=new, user=editor, reason="Cheaper")

    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.lifecycle, new.lifecycle) == (SUPERSEDED, ACCEPTED)
    assert new.supersedes == old
    assert old.superseded_by == new


@pytest.mark.django_db
def test_supersede_links_both_ways_and_accepts_a_proposed_replacement(team, editor):
    project = ProjectFactory(team=team)
    old = team_decision(team, ACCEPTED, project=project, title="Old way")
    new = team_decision(
        team, PROPOSED, project=project, title="New way", answers=answers(data_change="frequent")
    )

    saved = services.decision_supersede(
        decision=old, replaced_by=new, user=editor, reason="Prices moved"
    )

    assert saved.lifecycle == SUPERSEDED
    new.refresh_from_db()
    assert new.lifecycle == ACCEPTED
    assert new.supersedes_id == old.pk
    assert Decision.objects.get(supersedes=old) == new
    assert new.review_by == lifecycle.add_months(timezone.localdate(), 1)
    moves = StatusChange.objects.order_by("pk")
    assert [(c.decision, c.from_status, c.to_status, c.replaced_by) for c in moves] == [
        (new, PROPOSED, ACCEPTED, None),
        (old, ACCEPTED, SUPERSEDED, new),
    ]
    assert {c.reason for c in moves} == {"Prices moved"}
    summaries = AuditEvent.objects.filter(action=AuditEvent.Action.STATUS_CHANGED)
    assert sorted(e.summary.split(",")[0] for e in summaries) == [
        "marked “New way” as accepted",
        "marked “Old way” as superseded by “New way”",
    ]


@pytest.mark.django_db
def test_an_accepted_replacement_stays_accepted_with_its_own_review_date(team, editor):
    project = ProjectFactory(team=team)
    old = team_decision(team, ACCEPTED, project=project)
    new = team_decision(team, ACCEPTED, project=project)
    review_by = new.review_by

    services.decision_supersede(decision=old, replaced_by=new, user=editor)

    new.refresh_from_db()
    assert (new.lifecycle, new.review_by, new.supersedes_id) == (ACCEPTED, review_by, old.pk)
    assert list(StatusChange.objects.values_list("decision", "to_status")) == [(old.pk, SUPERSEDED)]


@pytest.mark.django_db
def test_supersede_writes_everything_or_nothing(team, editor, monkeypatch):
    project = ProjectFactory(team=team)
    old = team_decision(team, ACCEPTED, project=project)
    new = team_decision(team, PROPOSED, project=project)
    before = rows()
    real_audit = services.lifecycle.audit_record

    def failing_on_the_last_write(**kwargs):
        if "superseded" in kwargs["summary"]:
            raise RuntimeError("the database went away")
        return real_audit(**kwargs)

    monkeypatch.setattr(services.lifecycle, "audit_record", failing_on_the_last_write)

    with pytest.raises(RuntimeError):
        services.decision_supersede(decision=old, replaced_by=new, user=editor)

    assert rows() == before


def replacement_refusals(team):
    """Each replacement that may not supersede an accepted decision, and why."""
    project = ProjectFactory(team=team)
    old = team_decision(team, ACCEPTED, project=project, title="Old way")
    already = team_decision(team, ACCEPTED, project=project, title="Already replacing")
    Decision.objects.filter(pk=already.pk).update(
        supersedes=team_decision(team, SUPERSEDED, project=project)
    )
    already.refresh_from_db()
    unfinished = DecisionFactory(project=project, title="Half done")
    elsewhere = team_decision(team, PROPOSED, title="Other project")
    cases = {
        "itself": (old, "A decision cannot supersede itself: choose another one."),
        "another project": (
            elsewhere,
            "Only a decision of the same project can supersede this one.",
        ),
        "unfinished": (unfinished, "“Half done” is not complete yet: finish its questions first."),
        "already superseding": (
            already,
            "“Already replacing” already supersedes another decision; it can replace only one.",
        ),
    }
    for status in (REJECTED, SUPERSEDED, DEPRECATED):
        dead = team_decision(team, status, project=project, title=f"A {status} one")
        cases[status] = (
            dead,
            f"“A {status} one” is {status}, so it cannot replace another decision.",
        )
    return old, cases


REPLACEMENT_CASES = [
    "itself",
    "another project",
    "unfinished",
    "already superseding",
    REJECTED,
    SUPERSEDED,
    DEPRECATED,
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", REPLACEMENT_CASES)
def test_supersede_refuses_a_replacement_that_cannot_replace(team, editor, case):
    old, cases = replacement_refusals(team)
    new, message = cases[case]
    before = rows()

    with pytest.raises(services.Refused) as refused:
        services.decision_supersede(decision=old, replaced_by=new, user=editor)

    assert refused.value.message == message
    assert rows() == before


# --- The views ---------------------------------------------------------------------------------


def status_url(decision: Decision) -> str:
    return reverse("advisor:decision_status", args=[decision.pk])


def supersede_url(decision: Decision) -> str:
    return reverse("advisor:decision_supersede", args=[decision.pk])


def review_url(decision: Decision) -> str:
    return reverse("advisor:decision_review_date", args=[decision.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("hx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize(("from_status", "to_status"), PAIRS)
def test_every_move_through_the_page(team, editor_client, from_status, to_status, hx):
    decision = team_decision(team, from_status)
    refusal = PLAIN_MOVES[from_status, to_status]
    before = rows()

    response = editor_client.post(
        status_url(decision), {"to_status": to_status}, headers=HX if hx else {}
    )

    if hx:
        assert response.status_code == (400 if refusal else 200)
        assert "<html" not in response.text
        shown = response.text
    else:
        assert response.status_code == 302
        assert response["Location"] == f"{decision.get_absolute_url()}#lifecycle"
        shown = editor_client.get(response["Location"]).text
    if refusal:
        assert escape(refusal) in shown
        assert rows() == before
    else:
        label = Decision.Lifecycle(to_status).label
        assert f"Marked as {label.lower()}." in shown
        assert status_of(decision) == to_status


@pytest.mark.django_db
def test_the_panel_shows_status_who_when_review_date_and_history(team, editor, editor_client):
    decision = team_decision(team, PROPOSED, title="Support bot")
    editor_client.post(
        status_url(decision), {"to_status": ACCEPTED, "reason": "Team agreed <b>today</b>"}
    )

    page = editor_client.get(decision.get_absolute_url()).text

    assert 'id="lifecycle"' in page
    assert "Accepted</span>" in page
    assert "set by erin-editor" in page
    assert "Review by" in page
    assert escape("Team agreed <b>today</b>") in page
    assert "Team agreed <b>" not in page
    # The legal moves only: an accepted decision can be deprecated or superseded.
    assert 'value="deprecated"' in page
    assert 'value="accepted"' not in page
    assert 'value="rejected"' not in page
    assert "Mark as superseded" in page
    assert 'id="lifecycle-badge"' in page


@pytest.mark.django_db
def test_a_proposed_decision_offers_accept_and_reject_and_the_default_review_date(
    team, editor_client
):
    decision = team_decision(team, PROPOSED, answers=answers(data_change="rare"))
    default = lifecycle.add_months(timezone.localdate(), 6)

    page = editor_client.get(decision.get_absolute_url()).text

    assert 'value="accepted"' in page
    assert 'value="rejected"' in page
    assert 'value="deprecated"' not in page
    assert "Mark as superseded" not in page
    assert f'datetime="{default:%Y-%m-%d}"' in page
    assert "No changes yet" in page


@pytest.mark.django_db
@pytest.mark.parametrize("status", [REJECTED, SUPERSEDED, DEPRECATED])
def test_a_final_status_offers_no_buttons(team, editor_client, status):
    decision = team_decision(team, status)

    page = editor_client.get(decision.get_absolute_url()).text

    assert 'name="to_status"' not in page
    assert reverse("advisor:decision_supersede", args=[decision.pk]) not in page


@pytest.mark.django_db
def test_a_viewer_sees_the_lifecycle_but_no_forms(team, user, viewer_client):
    decision = team_decision(team, ACCEPTED)

    page = viewer_client.get(decision.get_absolute_url()).text

    assert 'id="lifecycle"' in page
    assert "Accepted</span>" in page
    assert status_url(decision) not in page
    assert supersede_url(decision) not in page
    assert review_url(decision) not in page


@pytest.mark.django_db
@pytest.mark.parametrize("hx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("action", ["status", "supersede", "review date"])
def test_a_viewer_is_refused_and_nothing_changes(team, viewer_client, action, hx):
    project = ProjectFactory(team=team)
    decision = team_decision(team, ACCEPTED, project=project)
    other = team_decision(team, PROPOSED, project=project)
    url, data = {
        "status": (status_url(decision), {"to_status": DEPRECATED}),
        "supersede": (supersede_url(decision), {"replaced_by": other.pk}),
        "review date": (review_url(decision), {"review_by": "2099-01-01"}),
    }[action]
    before = rows()

    response = viewer_client.post(url, data, headers=HX if hx else {})

    assert response.status_code == 403
    assert rows() == before


@pytest.mark.django_db
def test_superseding_through_the_page_links_both_pages(team, editor_client):
    project = ProjectFactory(team=team)
    old = team_decision(team, ACCEPTED, project=project, title="Old way")
    new = team_decision(team, PROPOSED, project=project, title="New way")

    response = editor_client.post(
        supersede_url(old), {"replaced_by": new.pk, "reason": "Cheaper"}, headers=HX
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Marked as superseded by “New way”." in response.text
    assert f'Superseded by <a href="{new.get_absolute_url()}">“New way”</a>' in response.text
    # The badge above the title is refreshed too.
    assert 'id="lifecycle-badge" class="mb-2 d-print-none" hx-swap-oob="true"' in response.text
    new_page = editor_client.get(new.get_absolute_url()).text
    assert f'Supersedes <a href="{old.get_absolute_url()}">“Old way”</a>' in new_page
    assert "Accepted</span>" in new_page


@pytest.mark.django_db
def test_the_supersede_choice_lists_only_decisions_that_may_replace(team, editor_client):
    project = ProjectFactory(team=team)
    old = team_decision(team, ACCEPTED, project=project, title="Old way")
    team_decision(team, PROPOSED, project=project, title="Proposed one")
    team_decision(team, ACCEPTED, project=project, title="Accepted one")
    team_decision(team, REJECTED, project=project, title="Rejected one")
    DecisionFactory(project=project, title="Unfinished one")
    team_decision(team, PROPOSED, title="Other project's one")

    page = editor_client.get(old.get_absolute_url()).text
    select = page[page.index('name="replaced_by"') : page.index("</select>")]

    assert "Proposed one (proposed)" in select
    assert "Accepted one (accepted)" in select
    for absent in ("Old way", "Rejected one", "Unfinished one", "Other project"):
        assert absent not in select


@pytest.mark.django_db
def test_an_accepted_decision_alone_in_its_project_says_how_to_supersede_it(team, editor_client):
    decision = team_decision(team, ACCEPTED)

    page = editor_client.get(decision.get_absolute_url()).text

    assert "No other completed decision of this project can replace it yet." in page
    assert 'name="replaced_by"' not in page


@pytest.mark.django_db
@pytest.mark.parametrize("hx", [False, True], ids=["plain", "htmx"])
def test_superseding_with_another_projects_decision_is_refused(team, editor_client, hx):
    old = team_decision(team, ACCEPTED)
    elsewhere = team_decision(team, PROPOSED)
    before = rows()

    response = editor_client.post(
        supersede_url(old),
        {"replaced_by": elsewhere.pk, "reason": "Typed"},
        headers=HX if hx else {},
    )

    assert response.status_code == 400
    assert "Choose one of the decisions offered." in response.text
    assert ("<html" in response.text) is not hx
    assert "Typed</textarea>" in response.text
    assert rows() == before


@pytest.mark.django_db
@pytest.mark.parametrize("hx", [False, True], ids=["plain", "htmx"])
def test_superseding_a_proposed_decision_through_the_page_says_why_not(team, editor_client, hx):
    project = ProjectFactory(team=team)
    old = team_decision(team, PROPOSED, project=project)
    new = team_decision(team, PROPOSED, project=project)
    before = rows()

    response = editor_client.post(
        supersede_url(old), {"replaced_by": new.pk}, headers=HX if hx else {}, follow=not hx
    )

    assert response.status_code == (400 if hx else 200)
    assert escape(FROM_PROPOSED.format(SUPERSEDED)) in response.text
    assert rows() == before


@pytest.mark.django_db
@pytest.mark.parametrize("hx", [False, True], ids=["plain", "htmx"])
def test_a_review_date_in_the_past_is_shown_next_to_the_field_and_nothing_is_lost(
    team, editor_client, hx
):
    decision = team_decision(team, PROPOSED)
    yesterday = timezone.localdate() - timedelta(days=1)
    before = rows()

    response = editor_client.post(
        status_url(decision),
        {"to_status": ACCEPTED, "reason": "We agreed", "review_by": f"{yesterday:%Y-%m-%d}"},
        headers=HX if hx else {},
    )

    assert response.status_code == 400
    assert ("<html" in response.text) is not hx
    assert escape(services.lifecycle.DATE_IN_THE_PAST) in response.text
    assert "is-invalid" in response.text
    assert "We agreed</textarea>" in response.text
    assert f'value="{yesterday:%Y-%m-%d}"' in response.text
    assert rows() == before


@pytest.mark.django_db
def test_a_made_up_status_is_a_form_error(team, editor_client):
    decision = team_decision(team, PROPOSED)
    before = rows()

    response = editor_client.post(status_url(decision), {"to_status": "approved"}, headers=HX)

    assert response.status_code == 400
    assert "Choose one of the status buttons." in response.text
    assert rows() == before


@pytest.mark.django_db
def test_the_share_page_shows_the_status_but_not_the_panel(team, editor):
    decision = team_decision(team, ACCEPTED)
    link = services.share_create(decision=decision, user=editor, expires_in_days=None)

    page = Client().get(link.get_absolute_url()).text

    # Whether the team still goes by it, for whoever holds the link; no history, no names.
    assert re.search(r"Status: <span [^>]*>Accepted</span>\s*The team goes by it.", page)
    assert "lifecycle" not in page
    assert "Status history" not in page
    assert editor.username not in page


@pytest.mark.django_db
def test_the_decision_page_reads_a_flat_number_of_queries(
    team, editor, editor_client, django_assert_num_queries
):
    project = ProjectFactory(team=team)
    decision = team_decision(team, ACCEPTED, project=project)
    for number in range(5):
        candidate = team_decision(team, PROPOSED, project=project, title=f"Candidate {number}")
        StatusChange.objects.create(
            decision=decision,
            from_status=ACCEPTED,
            to_status=ACCEPTED,
            replaced_by=candidate,
            actor=editor,
            actor_name="erin-editor",
        )

    with django_assert_num_queries(QUERIES_DECISION_PAGE):
        editor_client.get(decision.get_absolute_url())


# Session, user, decision with its recommendation, share links, the revisits, outcomes,
# comments; then the panel: the history (with the replacing decisions joined), whether any
# decision may replace it, and those decisions. Five history rows or fifty, the same ten. (A
# proposed decision reads none of the panel's: test_views' budget for the result page.)
QUERIES_DECISION_PAGE = 10
