from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from advisor import services
from advisor.domain.lifecycle import ACCEPTED
from advisor.domain.wizard import REVIEW_STEP
from advisor.models import (
    Decision,
    Kind,
    Membership,
    Outcome,
    OutcomeMetric,
    Project,
    Recommendation,
    Role,
    Team,
)

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def confirmed_email(user, create, extracted, **kwargs):
        # Logging in needs a confirmed address (mandatory verification); a person made here has
        # confirmed theirs unless a test says `confirmed_email=False`.
        if create and user.email and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=user, email=user.email.lower(), defaults={"primary": True, "verified": True}
            )


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.EDITOR


def member(team: Team, role: str = Role.EDITOR, **user_kwargs):
    """A new user who belongs to `team` with `role`."""
    return MembershipFactory(team=team, role=role, user=UserFactory(**user_kwargs)).user


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project in a team of its own, whose author is the team's owner."""

    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")
    description = "A product that answers questions."
    created_by = factory.SubFactory(UserFactory)
    team = factory.LazyAttribute(
        lambda project: MembershipFactory(user=project.created_by, role=Role.OWNER).team
    )


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Decision {n}")
    created_by = factory.LazyAttribute(lambda decision: decision.project.created_by)


RAG_ANSWERS = {
    "problem": "knowledge",
    "data_change": "occasional",
    "latency": "async",
    "cost": "early_stage",
    "labeled_data": "none",
}
# Knowledge and behaviour, some pairs, occasional changes, scaling: without numbers, RAG; the
# cost numbers decide whether fine-tuning joins it.
BOTH_ANSWERS = {
    "problem": "both",
    "data_change": "occasional",
    "latency": "interactive",
    "cost": "scaling",
    "labeled_data": "some",
}


def answered_decision(
    answers: dict[str, str] | None = None, *, notes: dict[str, str] | None = None, **kwargs
) -> Decision:
    """A decision with all five questions answered through the service (with `notes` by
    question key, if any), not yet complete."""
    decision = DecisionFactory(**kwargs)
    notes = notes or {}
    for step, (key, value) in enumerate((answers or RAG_ANSWERS).items(), start=1):
        services.answer_save(decision=decision, step=step, value=value, note=notes.get(key, ""))
    decision.refresh_from_db()
    return decision


# Every refine key answered: no evaluation set yet, a corpus that fits in a long prompt.
REFINE_ANSWERS: dict[str, str | int] = {
    "eval_set": "none",
    "corpus_tokens": 150_000,
    "behaviour_change": "occasional",
    "citations_required": "yes",
    "data_policy": "region_bound",
}


def refined(
    decision: Decision,
    values: dict[str, str | int] | None = None,
    *,
    notes: dict[str, str] | None = None,
) -> Decision:
    """`decision` (all five answered) with refine answers saved through the service."""
    services.refine_save(decision=decision, values=values or REFINE_ANSWERS, notes=notes or {})
    decision.refresh_from_db()
    return decision


def completed_decision(
    answers: dict[str, str] | None = None,
    *,
    notes: dict[str, str] | None = None,
    refine: dict[str, str | int] | None = None,
    **kwargs,
) -> Decision:
    """A completed decision; with `refine`, those refine answers saved before completing."""
    decision = answered_decision(answers, notes=notes, **kwargs)
    if refine:
        refined(decision, refine)
    services.decision_complete(decision=decision, user=decision.created_by)
    decision.refresh_from_db()
    return decision


# Three people's answers for a team decision: the second reads the problem as behaviour (which
# may change the recommendation), the third expects the data to change often.
TEAM_ANSWERS: tuple[dict[str, str], ...] = (
    RAG_ANSWERS,
    RAG_ANSWERS | {"problem": "behavior"},
    RAG_ANSWERS | {"data_change": "frequent"},
)
# How the owner settles the questions people disagreed on: key -> (answer taken, note).
TEAM_SETTLED: dict[str, tuple[str, str]] = {
    "problem": ("knowledge", "Docs first"),
    "data_change": ("occasional", "Weekly at most"),
}


def team_decision(
    answers: Sequence[dict[str, str]] = TEAM_ANSWERS,
    *,
    notes: Sequence[dict[str, str]] = (),
    settle: dict[str, tuple[str, str]] | None = None,
    names: Sequence[str] = (),
    **kwargs,
) -> Decision:
    """A decision completed by a team through the services: the owner asks two more members
    (editors, named `names` when given), the first `len(answers)` of the three answer and
    submit (`notes` by person, by question key), the owner closes the round, settles the
    contested keys as `settle` says (TEAM_SETTLED by default) and completes it."""
    decision = DecisionFactory(**kwargs)
    owner = decision.created_by
    team = decision.project.team
    others = [
        member(team, Role.EDITOR, **({"username": name} if name else {}))
        for name in [*names, "", ""][:2]
    ]
    services.round_ask(decision=decision, user=owner, people=others)
    for n, (person, given) in enumerate(zip([owner, *others], answers, strict=False)):
        said = notes[n] if n < len(notes) else {}
        for step, (key, value) in enumerate(given.items(), start=1):
            services.answer_save(
                decision=decision, step=step, value=value, note=said.get(key, ""), user=person
            )
        services.round_submit(decision=decision, user=person)
    services.round_close(decision=decision, user=owner)
    for key, (value, note) in (TEAM_SETTLED if settle is None else settle).items():
        services.question_settle(decision=decision, user=owner, key=key, value=value, note=note)
    services.decision_complete(decision=decision, user=owner)
    decision.refresh_from_db()
    return decision


def in_status(status: str, *, review_in_days: int = 60, **kwargs) -> Decision:
    """A completed decision put straight into lifecycle `status`, without the services' moves;
    an accepted one is due for review in `review_in_days` (negative: overdue)."""
    decision = completed_decision(**kwargs)
    review_by = None
    if status == ACCEPTED:
        review_by = timezone.localdate() + timedelta(days=review_in_days)
    Decision.objects.filter(pk=decision.pk).update(lifecycle=status, review_by=review_by)
    decision.refresh_from_db()
    return decision


# --- history, search and the team dashboard ---


def decided(project: Project, *, approach: str = "rag", **fields) -> Decision:
    """A completed decision with a bare snapshot holding only its approach, written directly
    (no engine run): enough for the lists, searches and counts that read the approach."""
    return bulk_decisions(project, 1, approach=approach, **fields)[0]


def bulk_decisions(
    project: Project, count: int, *, approach: str | None = "rag", **fields
) -> list[Decision]:
    """`count` decisions in a few INSERTs; complete with a bare snapshot when `approach` is
    given, in progress when it is None."""
    fields.setdefault("created_by", project.created_by)
    if approach:
        fields = {"status": Decision.Status.COMPLETE, "current_step": REVIEW_STEP} | fields
    title = fields.pop("title", "Decision")
    decisions = Decision.objects.bulk_create(
        Decision(project=project, title=title if count == 1 else f"{title} {n}", **fields)
        for n in range(1, count + 1)
    )
    if approach:
        Recommendation.objects.bulk_create(
            Recommendation(
                decision=decision,
                approach=approach,
                headline="",
                rationale=[],
                ladder_step=approach,
                next_step="",
                next_steps=[],
                trade_offs=[],
                would_change=[],
                answers=[],
                rules_version="test",
            )
            for decision in decisions
        )
    return decisions


RECALL_PILOT = {
    "key": "recall_at_5",
    "label": "Retrieval recall@5",
    "unit": "%",
    "better": "higher",
    "threshold": 80,
}
BUSY_APPROACHES = ("rag", "prompt_engineering", "rag", "fine_tuning", "rag_plus_fine_tuning")
BUSY_STATUSES = ("accepted", "proposed", "accepted", "rejected", "superseded", "deprecated")


def busy_decisions(project: Project, count: int = 200) -> list[Decision]:
    """`count` completed decisions spread over the last twelve months, in every approach and
    status; the accepted ones due for review from a month ago to two months ahead; every third
    with an outcome measuring its pilot's recall (every other one below the target)."""
    today = timezone.localdate()
    decisions = []
    for n in range(count):
        day = today - timedelta(days=n * 360 // count)
        lifecycle = BUSY_STATUSES[n % len(BUSY_STATUSES)]
        decisions += bulk_decisions(
            project,
            1,
            approach=BUSY_APPROACHES[n % len(BUSY_APPROACHES)],
            title=f"Busy decision {n + 1}",
            lifecycle=lifecycle,
            completed_at=timezone.make_aware(datetime.combine(day, time(12))),
            review_by=today + timedelta(days=n % 90 - 30) if lifecycle == "accepted" else None,
        )
    Recommendation.objects.filter(decision__in=decisions).update(pilot_metrics=[RECALL_PILOT])
    outcomes = Outcome.objects.bulk_create(
        Outcome(decision=d, approach="rag", shipped_on=today, author_name="ben")
        for d in decisions[::3]
    )
    OutcomeMetric.objects.bulk_create(
        OutcomeMetric(
            outcome=outcome,
            name="Recall",
            value=Decimal(85 if n % 2 == 0 else 70),
            unit="%",
            pilot_key="recall_at_5",
        )
        for n, outcome in enumerate(outcomes)
    )
    return decisions


def answers_requested(user, key: str = "ask-1"):
    """One "your answers are requested" email to `user` through `services.notify`, named
    `key`: the notification the outbox tests write, send and deduplicate."""
    return services.notify(
        kind=Kind.ANSWERS_REQUESTED,
        user=user,
        email=user.email,
        key=key,
        template="answers_requested",
        context={
            "decision_title": "Support bot",
            "project_name": "Help centre",
            "asked_by": "Priya",
            "wizard_url": services.site_url("/decisions/1/"),
            "deadline": None,
        },
    )
