"""Create the demo account, its team, and a demo project holding one completed decision.

Safe to run again: it changes nothing when the demo data is already there.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from advisor import services
from advisor.models import Project, Team

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


class Command(BaseCommand):
    help = "Create the demo login and a demo project with one completed decision."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"email": "demo@example.com"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
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
