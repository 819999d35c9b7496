from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from advisor import services
from advisor.models import Decision, Project

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(PASSWORD)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")
    description = "A product that answers questions."
    created_by = factory.SubFactory(UserFactory)


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


def answered_decision(answers: dict[str, str] | None = None, **kwargs) -> Decision:
    """A decision with all five questions answered through the service, not yet complete."""
    decision = DecisionFactory(**kwargs)
    for step, value in enumerate((answers or RAG_ANSWERS).values(), start=1):
        services.answer_save(decision=decision, step=step, value=value)
    decision.refresh_from_db()
    return decision


def completed_decision(answers: dict[str, str] | None = None, **kwargs) -> Decision:
    decision = answered_decision(answers, **kwargs)
    services.decision_complete(decision=decision)
    decision.refresh_from_db()
    return decision
