"""What a team's round of answers tells people: "your answers are requested" to each person
asked, "everyone has answered" to the editor who asked, and a reminder the day before the
deadline to those who have not submitted. All through `notify`, so each goes into the outbox
in the caller's transaction, once per key."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from advisor.models import AnswerRound, Decision, Kind, Respondent
from advisor.services.notifications import notify, site_url


def _context(decision: Decision) -> dict:
    return {
        "decision_title": decision.title,
        "project_name": decision.project.name,
        # The first question: the wizard shows each person their own answers, saved so far.
        "wizard_url": site_url(reverse("advisor:decision_step", args=[decision.pk, 1])),
        "decision_url": site_url(decision.get_absolute_url()),
    }


def answers_requested_notify(
    *, decision: Decision, answer_round: AnswerRound, people: Iterable[AbstractBaseUser]
) -> int:
    """Tell each person newly asked; the number of emails written."""
    asked_by = answer_round.asked_by.get_username() if answer_round.asked_by else "An editor"
    context = _context(decision) | {"asked_by": asked_by, "deadline": answer_round.deadline}
    written = 0
    for person in people:
        row = notify(
            kind=Kind.ANSWERS_REQUESTED,
            user=person,
            email=person.email,
            key=f"answers-requested-{answer_round.pk}-{person.pk}",
            template="answers_requested",
            context=context,
        )
        written += row is not None
    return written


def all_answered_notify(*, decision: Decision, answer_round: AnswerRound) -> bool:
    """Tell the editor who asked that nobody is left to answer."""
    asker = answer_round.asked_by
    team = decision.project.team
    if asker is None or not asker.memberships.filter(team=team).exists():
        return False
    row = notify(
        kind=Kind.ALL_ANSWERED,
        user=asker,
        email=asker.email,
        key=f"all-answered-{answer_round.pk}",
        template="all_answered",
        context=_context(decision) | {"count": answer_round.respondents.count()},
    )
    return row is not None


@transaction.atomic
def deadline_reminders_send(*, now: datetime | None = None) -> int:
    """Remind those who have not submitted, once, on the day before their round's deadline
    (in the team's time zone, from the digest hour on); the number of emails written. Run
    with the hourly digest, so a deadline set or moved at any time is reminded once."""
    now = now or timezone.now()
    pending = (
        Respondent.objects.filter(
            round__closed_at__isnull=True,
            round__deadline__isnull=False,
            round__decision__status=Decision.Status.IN_PROGRESS,
            submitted_at__isnull=True,
            # Someone who has left the team hears no more of its decisions.
            user__memberships__team=F("round__decision__project__team"),
        )
        .select_related("user", "round__decision__project__team")
        .order_by("pk")
    )
    written = 0
    for person in pending:
        answer_round = person.round
        team = answer_round.decision.project.team
        local = now.astimezone(zoneinfo.ZoneInfo(team.time_zone))
        if local.hour < settings.DIGEST_HOUR:
            continue
        if local.date() != answer_round.deadline - timedelta(days=1):
            continue
        row = notify(
            kind=Kind.DEADLINE_REMINDER,
            user=person.user,
            email=person.user.email,
            key=f"deadline-reminder-{answer_round.pk}-{person.user_id}-{answer_round.deadline}",
            template="deadline_reminder",
            context=_context(answer_round.decision) | {"deadline": answer_round.deadline},
        )
        written += row is not None
    return written
