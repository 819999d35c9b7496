"""Create the demo account, its team, and a demo project with a short history of decisions.

The project shows what a team keeps after deciding: an accepted decision now due for review,
what was shipped and measured, a comment, and a revisit that changed two answers.

Safe to run again: it changes nothing when the demo data is already there.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from advisor import services
from advisor.models import Decision, Project, Team

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "advisor-demo"  # noqa: S105 (a published demo login, local use only)
DEMO_PROJECT = "Exam-prep audio lessons"
DEMO_TEAM = "Demo team"

# The framework's worked example, retold: a study app that turns a national civil-service exam
# syllabus into spoken lessons. Each tuple is (value, note) in question order.
DEMO_ANSWERS = [
    (
        "knowledge",
        "The model already writes good scripts; what it lacks is the syllabus material itself.",
    ),
    (
        "occasional",
        "The syllabus is revised once a year, so a tuned model would need retraining yearly.",
    ),
    ("async", "Lessons are generated ahead of time; no listener waits on a request."),
    (
        "early_stage",
        "We first need to learn whether students use the lessons before paying for training.",
    ),
    ("none", "No reviewed script pairs exist; building a set would take three months or more."),
]
# What the revisit changed, by step: the syllabus now moves monthly, and reviewers have
# started keeping the scripts they approve.
REVISED_ANSWERS = {
    2: ("frequent", "The exam board now publishes amendments every month."),
    5: ("some", "About 400 reviewed scripts so far: enough to test with, not to train on."),
}
# The first two measure the decision's pilot metrics (their keys); the last is the team's own.
DEMO_METRICS = [
    ("Retrieval recall@5 (the right passage among the top five)", Decimal(87), "%", "recall_at_5"),
    ("Answers whose claims the retrieved passages support", Decimal(93), "%", "groundedness"),
    ("Monthly cost", Decimal(420), "$ / month"),
]


class Command(BaseCommand):
    help = "Create the demo login and a demo project with a short history of decisions."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"email": "demo@example.com"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        # Logging in needs a confirmed address; the demo's is made up, so it is marked
        # confirmed here (also for a demo account made before confirmation was required).
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"primary": True, "verified": True}
        )
        team = Team.objects.filter(name=DEMO_TEAM, members=user).first()
        if team is None:
            team = services.team_create(user=user, name=DEMO_TEAM)
        if not Project.objects.filter(name=DEMO_PROJECT, team=team).exists():
            self._create_project(user, team)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo login: username “{DEMO_USERNAME}”, password “{DEMO_PASSWORD}”"
            )
        )

    def _create_project(self, user, team: Team) -> None:
        project = services.project_create(
            user=user,
            team=team,
            name=DEMO_PROJECT,
            description=(
                "Spoken study lessons for a national civil-service exam. Should the script "
                "writer be fine-tuned on exam material, or fed the material at request time?"
            ),
        )
        decision = services.decision_start(
            project=project, user=user, title="Script generation pipeline"
        )
        for step, (value, note) in enumerate(DEMO_ANSWERS, start=1):
            services.answer_save(decision=decision, step=step, value=value, note=note)
        services.decision_complete(decision=decision, user=user)
        decision.refresh_from_db()
        self._follow_up(decision, user)
        revisit = services.decision_revisit(
            decision=decision, user=user, title="Script pipeline after the syllabus change"
        )
        for step, (value, note) in REVISED_ANSWERS.items():
            services.answer_save(decision=revisit, step=step, value=value, note=note)
        services.decision_complete(decision=revisit, user=user)

    def _follow_up(self, decision: Decision, user) -> None:
        """Accept the decision, record what shipped, and leave a comment."""
        today = timezone.localdate()
        services.decision_status_change(
            decision=decision,
            user=user,
            to_status=Decision.Lifecycle.ACCEPTED,
            reason="Cheapest way to test whether students use the lessons.",
        )
        # The service refuses a review date in the past; the demo's decision was accepted long
        # enough ago for its review to be due now.
        Decision.objects.filter(pk=decision.pk).update(review_by=today - timedelta(days=9))
        services.outcome_record(
            decision=decision,
            user=user,
            approach="rag",
            shipped_on=today - timedelta(days=42),
            notes="Lessons are generated from the indexed syllabus each night.",
            metrics=DEMO_METRICS,
        )
        services.comment_add(
            decision=decision,
            user=user,
            body="Retrieval holds up so far. Worth a second look now that amendments come monthly.",
        )
