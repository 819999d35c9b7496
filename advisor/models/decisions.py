"""Projects, decisions (one wizard run each), their answers and the saved recommendation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from advisor.domain.engine import Approach
from advisor.domain.questions import QUESTIONS, STEP_COUNT
from advisor.domain.refine import REFINE_KEYS, refine_title
from advisor.domain.wizard import REVIEW_STEP
from advisor.models.teams import Team

NOTE_MAX_LENGTH = 2000


class Project(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    # Null once its author's account is deleted: the team's work outlives the account.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("advisor:project_detail", args=[self.pk])


class Decision(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"

    class Lifecycle(models.TextChoices):
        """Where a completed decision stands with the team (the MADR statuses)."""

        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        SUPERSEDED = "superseded", "Superseded"
        DEPRECATED = "deprecated", "Deprecated"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions")
    title = models.CharField(max_length=160)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.IN_PROGRESS)
    # The first unanswered step (1 to 5), or 6 for the review once all are answered. Derived
    # from the answers by answer_save and stored, so lists show progress without reading them.
    current_step = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Who completed it, as named then: exports call them the deciders, and an import keeps it.
    completed_by_name = models.CharField(max_length=150, blank=True, default="", db_default="")
    # Meaningful once the decision is complete; every change is kept as a StatusChange.
    # db_default too: the previous release, still serving during a deploy, inserts rows
    # without this column.
    lifecycle = models.CharField(
        max_length=20,
        choices=Lifecycle,
        default=Lifecycle.PROPOSED,
        db_default=Lifecycle.PROPOSED,
    )
    # One-to-one both ways: a decision replaces at most one other and is replaced by at most
    # one, which the database enforces even when two replacements race.
    supersedes = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="superseded_by"
    )
    # The earlier decision this one was started from with "Revisit", for the comparison.
    revisit_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="revisits"
    )
    # When an accepted decision should be looked at again.
    review_by = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["project", "-created_at", "-id"]),
            models.Index(fields=["lifecycle", "review_by"]),
            # Who started decisions in a project (the timeline's author filter), at any size.
            models.Index(fields=["project", "created_by"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(current_step__gte=1, current_step__lte=REVIEW_STEP),
                name="decision_current_step_in_range",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("advisor:decision_detail", args=[self.pk])

    @property
    def is_complete(self) -> bool:
        return self.status == self.Status.COMPLETE

    @property
    def progress_label(self) -> str:
        """How far an unfinished decision has got (`round_state`, where a list annotates it,
        says whether the team is answering it or an editor is settling their answers)."""
        round_state = getattr(self, "round_state", "")
        if round_state == "open":
            return "In progress: the team is answering"
        if round_state == "closed":
            return "In progress: settling the team's answers"
        if self.current_step > STEP_COUNT:
            return "In progress: ready for review"
        return f"In progress: question {self.current_step} of {STEP_COUNT}"


# The five questions, then the optional refine step's keys (advisor.domain.refine).
ANSWER_KEYS = [(q.key, q.title) for q in QUESTIONS] + [(k, refine_title(k)) for k in REFINE_KEYS]


class Answer(models.Model):
    """One answer with its note: to one of the five questions, or to a refine key (whose
    `value` is one of its choices, or for corpus_tokens the count in digits)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=32, choices=ANSWER_KEYS)
    value = models.CharField(max_length=32)
    note = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question}={self.value}"


class ImmutableSnapshotError(Exception):
    pass


class Recommendation(models.Model):
    """The engine's output frozen at completion; never updated afterwards.

    Everything the result page shows comes from these columns, including the sentences and the
    answers' labels, so a later change of rules or wording never rewrites a past decision.
    """

    decision = models.OneToOneField(
        Decision, on_delete=models.CASCADE, related_name="recommendation"
    )
    approach = models.CharField(max_length=32, choices=Approach.choices())
    headline = models.TextField()
    rationale = models.JSONField()
    ladder_step = models.CharField(max_length=32, choices=Approach.choices())
    next_step = models.TextField()
    next_steps = models.JSONField()
    trade_offs = models.JSONField()
    would_change = models.JSONField()
    answers = models.JSONField()
    # The cost, latency and time-to-ship report (advisor.domain.costs.estimate_report) with the
    # inputs and the price table's date it was computed from; null when skipped.
    estimate = models.JSONField(null=True, blank=True)
    # The refine step's answers ({"key", "title", "answer", "answer_label", "note"} each, labels
    # resolved then), the staged plan, the pilot's metrics and the confidence with its reason.
    # Null in snapshots saved before the refine step and the plans existed.
    refine = models.JSONField(null=True, blank=True)
    plan = models.JSONField(null=True, blank=True)
    pilot_metrics = models.JSONField(null=True, blank=True)
    confidence = models.JSONField(null=True, blank=True)
    # When the team answered in a round: each person's answers with the recommendation they
    # lead to, and each question's agreement and settlement (advisor.selectors.rounds). Null
    # for a decision one person answered.
    team_answers = models.JSONField(null=True, blank=True)
    rules_version = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.get_approach_display()} for {self.decision_id}"

    def save(self, *args, **kwargs) -> None:
        # A snapshot is written once; refusing updates here guards every code path, admin
        # included, not only the service that creates it.
        if not self._state.adding:
            raise ImmutableSnapshotError("A saved recommendation cannot be changed.")
        super().save(*args, **kwargs)

    @property
    def ladder(self) -> list[tuple[str, str, bool]]:
        """The three rungs, cheapest first, each as (key, label, is the step to take next)."""
        rungs = ("prompt_engineering", "rag", "fine_tuning")
        return [(key, Approach(key).label, key == self.ladder_step) for key in rungs]
