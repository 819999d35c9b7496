"""Racing writes (two tabs, two owners, two people with one invite, two replacements for one
decision) end in the documented state.

Runs on whichever database the suite is given (SQLite by default, PostgreSQL in CI), each
thread on its own connection.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from advisor import services
from advisor.models import (
    Answer,
    AuditEvent,
    Decision,
    Membership,
    Recommendation,
    Role,
    ShareLink,
    StatusChange,
)
from tests.factories import (
    DecisionFactory,
    ProjectFactory,
    TeamFactory,
    UserFactory,
    answered_decision,
    completed_decision,
    member,
)

pytestmark = pytest.mark.django_db(transaction=True)


def race(count: int, action) -> list[object]:
    """Run action(i) in `count` threads released together; return each result or exception."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = action(index)
        except Exception as error:  # collected and asserted on below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_completing_from_two_tabs_at_once_leaves_one_recommendation():
    decision = answered_decision()

    results = race(
        2, lambda _: services.decision_complete(decision=decision, user=decision.created_by)
    )

    winners = [r for r in results if isinstance(r, Recommendation)]
    losers = [r for r in results if isinstance(r, services.DecisionAlreadyComplete)]
    assert (len(winners), len(losers)) == (1, 1), results
    assert Recommendation.objects.filter(decision=decision).count() == 1
    assert Decision.objects.get(pk=decision.pk).status == Decision.Status.COMPLETE


def test_twenty_parallel_saves_of_one_step_keep_one_answer():
    decision = DecisionFactory()
    values = (["knowledge", "behavior", "both"] * 7)[:20]

    results = race(
        len(values), lambda i: services.answer_save(decision=decision, step=1, value=values[i])
    )

    # Every save succeeded, and each returned the answers as its own save left them.
    assert [r["problem"].value for r in results] == values, results
    answers = Answer.objects.filter(decision=decision)
    assert answers.count() == 1
    assert answers.get().value in set(values)
    assert Decision.objects.get(pk=decision.pk).current_step == 2


def test_two_owners_demoting_each_other_at_once_leave_the_team_an_owner():
    team = TeamFactory()
    owners = [member(team, Role.OWNER), member(team, Role.OWNER)]
    memberships = [Membership.objects.get(team=team, user=user) for user in owners]

    # Each owner demotes the other.
    results = race(
        2,
        lambda i: services.membership_change_role(
            membership=memberships[1 - i], role=Role.VIEWER, user=owners[i]
        ),
    )

    refused = [r for r in results if isinstance(r, services.Refused)]
    assert len(refused) == 1, results
    assert Membership.objects.filter(team=team, role=Role.OWNER).count() == 1


def test_two_last_owners_leaving_at_once_leave_the_team_an_owner():
    team = TeamFactory()
    owners = [member(team, Role.OWNER), member(team, Role.OWNER)]
    memberships = [Membership.objects.get(team=team, user=user) for user in owners]

    results = race(
        2, lambda i: services.membership_remove(membership=memberships[i], user=owners[i])
    )

    refused = [r for r in results if isinstance(r, services.Refused)]
    assert len(refused) == 1, results
    assert Membership.objects.filter(team=team, role=Role.OWNER).count() == 1


def test_one_invite_opened_by_two_people_at_once_lets_one_in():
    team = TeamFactory()
    owner = member(team, Role.OWNER)
    invite = services.invite_create(team=team, user=owner, role=Role.EDITOR)
    visitors = [UserFactory(), UserFactory()]

    results = race(2, lambda i: services.invite_accept(token=invite.token, user=visitors[i]))

    joined = [r for r in results if isinstance(r, Membership)]
    refused = [r for r in results if isinstance(r, services.InviteNotUsable)]
    assert (len(joined), len(refused)) == (1, 1), results
    assert Membership.objects.filter(team=team).count() == 2


def test_links_created_while_another_is_revoked_twice_all_stay_as_documented():
    # Revoking is idempotent (one revocation, one audit line, whoever wins); creating a new
    # link at the same moment is unaffected and gives a live link each time.
    decision = completed_decision()
    user = decision.created_by
    doomed = services.share_create(decision=decision, user=user, expires_in_days=None)

    def act(i: int) -> ShareLink:
        if i < 2:
            return services.share_revoke(link=doomed, user=user)
        return services.share_create(decision=decision, user=user, expires_in_days=7)

    results = race(6, act)

    assert all(isinstance(r, ShareLink) for r in results), results
    live = ShareLink.objects.live().filter(decision=decision)
    assert set(live) == set(results[2:])
    assert not ShareLink.objects.live().filter(pk=doomed.pk).exists()
    revocations = AuditEvent.objects.filter(action=AuditEvent.Action.SHARE_REVOKED)
    assert revocations.count() == 1


def test_a_share_page_opened_while_its_link_is_revoked_never_opens_after():
    decision = completed_decision()
    link = services.share_create(decision=decision, user=decision.created_by, expires_in_days=None)
    url = link.get_absolute_url()

    def act(i: int) -> int:
        if i == 0:
            services.share_revoke(link=link, user=decision.created_by)
            return 0
        return Client().get(url).status_code

    results = race(5, act)

    # Before the revocation commits a view may still succeed; once it has, none does.
    assert set(results[1:]) <= {200, 404}, results
    assert Client().get(url).status_code == 404


def test_two_decisions_superseding_one_at_once_leave_one_link():
    project = ProjectFactory()
    user = project.created_by
    old = completed_decision(project=project, title="Old way")
    services.decision_status_change(decision=old, user=user, to_status=Decision.Lifecycle.ACCEPTED)
    rivals = [completed_decision(project=project, title=f"New way {i}") for i in (1, 2)]

    results = race(
        2, lambda i: services.decision_supersede(decision=old, replaced_by=rivals[i], user=user)
    )

    winners = [r for r in results if isinstance(r, Decision)]
    losers = [r for r in results if isinstance(r, services.Refused)]
    assert (len(winners), len(losers)) == (1, 1), results
    assert losers[0].message == "This decision is already superseded."
    assert Decision.objects.get(pk=old.pk).lifecycle == Decision.Lifecycle.SUPERSEDED
    superseded = StatusChange.objects.filter(decision=old, to_status="superseded")
    assert superseded.count() == 1
    (winner,) = Decision.objects.filter(supersedes=old)
    assert superseded.get().replaced_by == winner
    # The loser was not accepted along the way: its transaction left nothing behind.
    loser = next(r for r in rivals if r != winner)
    assert Decision.objects.get(pk=loser.pk).lifecycle == Decision.Lifecycle.PROPOSED
    assert not StatusChange.objects.filter(decision=loser).exists()
