"""Fill the bench database through the app's own services, plus bulk rows where only volume
matters.

Services give the data the shape real use gives it (teams, memberships through invites, audit
lines, snapshots written by the engine), so the figures still hold as the app grows. Only the
10,000 decisions of the history measurement are bulk-inserted, as copies of a real snapshot,
and the users, all with one password hash.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from advisor import services
from advisor.domain.questions import QUESTIONS
from advisor.domain.wizard import REVIEW_STEP
from advisor.management.commands.seed_demo import DEMO_ANSWERS
from advisor.models import Decision, Project, Recommendation, Role

PASSWORD = "bench-password-not-a-secret"  # noqa: S105 (the throwaway bench database only)
LOAD_USERS = 20
STEP_DECISIONS = 50
LARGE_PROJECT_SIZE = 10_000
SMALL_PROJECT_SIZE = 10
# The team answer pages: a round of 3 people and one of 30, the bench owner among them.
ROUND_SIZES = (3, 30)


@dataclass(frozen=True)
class Fixtures:
    """What the measurements need to know about the seeded data (saved as JSON for locust)."""

    owner: str
    password: str
    team: int
    load_team: int
    load_users: list[str]
    small_project: int
    large_project: int
    step_decisions: list[int]  # all five questions answered, not complete: step POSTs cycle here
    result_decision: int
    share_link: int
    share_token: str
    invite: int
    invite_token: str
    membership: int
    estimate_decision: int  # all five questions answered: the numbers step is open
    round_decisions: dict[int, int]  # people asked: a decision whose round is closed, unsettled

    def as_json(self) -> dict:
        return asdict(self)


def seed() -> Fixtures:
    user_model = get_user_model()
    owner = user_model.objects.create_user("bench-owner", "bench-owner@example.com", PASSWORD)
    load_users = _users(owner, "load", LOAD_USERS)
    # Logging in needs a confirmed address.
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, primary=True, verified=True)
        for user in [owner, *load_users]
    )
    team = services.team_create(user=owner, name="Bench team")
    load_team = services.team_create(user=owner, name="Load team")
    for user in load_users:
        invite = services.invite_create(team=load_team, user=owner, role=Role.EDITOR)
        services.invite_accept(token=invite.token, user=user)
    membership = services.invite_accept(
        token=services.invite_create(team=team, user=owner, role=Role.VIEWER).token,
        user=load_users[0],
    )
    pending = services.invite_create(team=team, user=owner, role=Role.EDITOR, note="a newcomer")

    small = services.project_create(user=owner, team=team, name="Ten decisions")
    completed = [_completed(small, owner, n) for n in range(SMALL_PROJECT_SIZE)]
    large = services.project_create(user=owner, team=team, name="Ten thousand decisions")
    _bulk_copies(large, owner, completed[0].recommendation, LARGE_PROJECT_SIZE)
    steps = services.project_create(user=owner, team=team, name="Step benchmark")
    step_decisions = [_answered(steps, owner, n).pk for n in range(STEP_DECISIONS)]
    numbers = _answered(steps, owner, STEP_DECISIONS)

    result = completed[-1]
    link = services.share_create(decision=result, user=owner, expires_in_days=None)
    return Fixtures(
        owner=owner.username,
        password=PASSWORD,
        team=team.pk,
        load_team=load_team.pk,
        load_users=[user.username for user in load_users],
        small_project=small.pk,
        large_project=large.pk,
        step_decisions=step_decisions,
        result_decision=result.pk,
        share_link=link.pk,
        share_token=link.token,
        invite=pending.pk,
        invite_token=pending.token,
        membership=membership.pk,
        estimate_decision=numbers.pk,
        round_decisions=_rounds(owner),
    )


def _users(owner, prefix: str, count: int) -> list:
    """`count` users with the owner's password hash: hashing each would add seconds apiece."""
    user_model = get_user_model()
    return user_model.objects.bulk_create(
        user_model(
            username=f"{prefix}-{n}", email=f"{prefix}-{n}@example.com", password=owner.password
        )
        for n in range(1, count + 1)
    )


def _rounds(owner) -> dict[int, int]:
    """For each of ROUND_SIZES, a decision whose team was asked (services.round_ask): each
    person answered in their own way and submitted, and the owner closed the answers, which
    settles the one question everyone answered alike; the others wait to be settled."""
    people = [owner, *_users(owner, "round", max(ROUND_SIZES) - 1)]
    team = services.team_create(user=owner, name="Answering team")
    for user in people[1:]:
        invite = services.invite_create(team=team, user=owner, role=Role.EDITOR)
        services.invite_accept(token=invite.token, user=user)
    project = services.project_create(user=owner, team=team, name="Team answers")
    decisions = {}
    for size in ROUND_SIZES:
        asked = people[:size]
        decision = services.decision_start(project=project, user=owner, title=f"{size} people")
        services.round_ask(decision=decision, user=owner, people=asked[1:])
        for n, user in enumerate(asked):
            answers = zip(QUESTIONS, DEMO_ANSWERS, strict=True)
            for step, (question, (_, note)) in enumerate(answers, start=1):
                # Spread over the choices, but for the third question: everyone answers alike.
                value = question.values[n * step % len(question.values)]
                services.answer_save(
                    decision=decision, step=step, value=value, note=note, user=user
                )
            services.round_submit(decision=decision, user=user)
        services.round_close(decision=decision, user=owner)
        decisions[size] = decision.pk
    return decisions


def _answered(project: Project, user, n: int) -> Decision:
    decision = services.decision_start(project=project, user=user, title=f"Decision {n}")
    for step, (value, note) in enumerate(DEMO_ANSWERS, start=1):
        services.answer_save(decision=decision, step=step, value=value, note=note)
    return decision


def _completed(project: Project, user, n: int) -> Decision:
    decision = _answered(project, user, n)
    services.decision_complete(decision=decision, user=user)
    decision.refresh_from_db()
    return decision


def _bulk_copies(project: Project, user, snapshot: Recommendation, count: int) -> None:
    """`count` completed decisions, each with a copy of a real snapshot."""
    now = timezone.now()
    decisions = Decision.objects.bulk_create(
        (
            Decision(
                project=project,
                title=f"Decision {n}",
                created_by=user,
                status=Decision.Status.COMPLETE,
                current_step=REVIEW_STEP,
                completed_at=now,
            )
            for n in range(count)
        ),
        batch_size=2000,
    )
    # Every column but the key, the decision and the timestamp, whatever columns exist by then.
    columns = {
        field.attname: getattr(snapshot, field.attname)
        for field in Recommendation._meta.concrete_fields
        if not field.primary_key and field.name not in {"decision", "created_at"}
    }
    Recommendation.objects.bulk_create(
        (Recommendation(decision=decision, **columns) for decision in decisions), batch_size=2000
    )
