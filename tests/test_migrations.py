"""The migrations: the move to teams (0003) keeps what existing projects and people had, later
ones leave the previous release working, and data they fill in (0009, 0016) is right."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, migrations
from django.db.migrations import Migration
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import StateApps
from django.db.models import NOT_PROVIDED
from django.utils import timezone

from advisor.models import (
    Answer,
    Decision,
    Membership,
    Project,
    Recommendation,
    Role,
    ShareLink,
    Team,
)

SHARED_TEAM = "Everyone (before teams)"
BEFORE_TEAMS = ("advisor", "0001_initial")

# The columns that existed before teams; each must read the same afterwards.
COLUMNS = {
    "Project": [
        "id",
        "name",
        "description",
        "created_by_id",
        "archived",
        "created_at",
        "updated_at",
    ],
    "Decision": [
        "id",
        "project_id",
        "title",
        "created_by_id",
        "status",
        "current_step",
        "created_at",
        "updated_at",
        "completed_at",
    ],
    "Answer": ["id", "decision_id", "question", "value", "note", "updated_at"],
    "Recommendation": [
        "id",
        "decision_id",
        "approach",
        "headline",
        "rationale",
        "ladder_step",
        "next_step",
        "next_steps",
        "trade_offs",
        "would_change",
        "answers",
        "rules_version",
        "created_at",
    ],
}
CURRENT = {
    "Project": Project,
    "Decision": Decision,
    "Answer": Answer,
    "Recommendation": Recommendation,
}


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate(targets: list[tuple[str, str]]) -> None:
    # A fresh executor each time: it reads which migrations are applied when it is made.
    MigrationExecutor(connection).migrate(targets)


@pytest.fixture
def old_apps(transactional_db):
    """The database as it was before teams (the other apps as they are now), and its models.

    The database is migrated back to the latest state afterwards, whatever happens, so the
    tests that follow find the schema they expect.
    """
    targets = [BEFORE_TEAMS] + [node for node in latest() if node[0] != "advisor"]
    migrate(targets)
    try:
        yield MigrationExecutor(connection).loader.project_state(targets).apps
    finally:
        migrate(latest())


def models_at(target: tuple[str, str]) -> Iterator[StateApps]:
    """The database migrated back to `target`, and its models; migrated to the latest state
    again afterwards, whatever happens."""
    migrate([target])
    try:
        yield MigrationExecutor(connection).loader.project_state([target]).apps
    finally:
        migrate(latest())


@pytest.fixture
def before_completer_column(transactional_db):
    """The database just before 0009 (who completed a decision as a column), and its models."""
    yield from models_at(("advisor", "0008_review_lifecycle"))


def make_user(apps, username: str, *, superuser: bool = False):
    User = apps.get_model("auth", "User")
    return User.objects.create(
        username=username,
        email=f"{username}@example.com",
        password="!",
        is_superuser=superuser,
        is_staff=superuser,
    )


def make_project(apps, author, name: str, *, age_days: int):
    """A project with a completed decision and an unfinished one, written as 0001 had them."""
    Project = apps.get_model("advisor", "Project")
    Decision = apps.get_model("advisor", "Decision")
    Answer = apps.get_model("advisor", "Answer")
    Recommendation = apps.get_model("advisor", "Recommendation")
    project = Project.objects.create(name=name, description=f"About {name}", created_by=author)
    # created_at is auto_now_add; set the age afterwards, as an older database would have it.
    then = timezone.now() - timedelta(days=age_days)
    Project.objects.filter(pk=project.pk).update(created_at=then, updated_at=then)
    done = Decision.objects.create(
        project=project,
        title=f"{name}: first pass",
        created_by=author,
        status="complete",
        current_step=6,
        completed_at=then,
    )
    for question, value in [("problem", "knowledge"), ("data_change", "occasional")]:
        Answer.objects.create(decision=done, question=question, value=value, note=f"{name} note")
    Recommendation.objects.create(
        decision=done,
        approach="rag",
        headline=f"Retrieval for {name}.",
        rationale=[{"question": "problem", "answer": "knowledge", "why": "Facts"}],
        ladder_step="rag",
        next_step="Index the documents.",
        next_steps=["Index the documents.", "Measure"],
        trade_offs=["Latency"],
        would_change=[],
        answers=[{"question": "problem", "answer": "knowledge", "note": f"{name} note"}],
        rules_version="2026.11.1",
    )
    Decision.objects.create(
        project=project, title=f"{name}: open", created_by=author, current_step=2
    )
    Answer.objects.create(
        decision=Decision.objects.get(title=f"{name}: open"), question="problem", value="both"
    )
    return project


def snapshot(get_model) -> dict[str, list[dict]]:
    return {
        name: list(get_model(name).objects.order_by("pk").values(*columns))
        for name, columns in COLUMNS.items()
    }


def roles_in(team: Team) -> dict[str, str]:
    return dict(team.memberships.values_list("user__username", "role"))


def assert_personal_teams(usernames: list[str]) -> None:
    for username in usernames:
        (team,) = Team.objects.filter(name=f"{username}'s team")
        assert roles_in(team) == {username: Role.OWNER}


def test_existing_projects_join_one_shared_team_with_every_user(old_apps):
    root = make_user(old_apps, "root", superuser=True)
    alice = make_user(old_apps, "alice")
    bob = make_user(old_apps, "bob")
    make_project(old_apps, alice, "Support bot", age_days=30)
    make_project(old_apps, bob, "Docs search", age_days=20)
    make_project(old_apps, root, "Pricing copy", age_days=10)
    before = snapshot(lambda name: old_apps.get_model("advisor", name))
    assert [len(before[name]) for name in COLUMNS] == [3, 6, 9, 3]

    migrate(latest())

    assert snapshot(CURRENT.get) == before
    shared = Team.objects.get(name=SHARED_TEAM)
    assert set(Project.objects.values_list("team", flat=True)) == {shared.pk}
    assert roles_in(shared) == {"root": Role.OWNER, "alice": Role.EDITOR, "bob": Role.EDITOR}
    assert_personal_teams(["root", "alice", "bob"])
    assert Team.objects.count() == 4
    assert Membership.objects.count() == 6


def test_without_a_superuser_the_author_of_the_oldest_project_owns_the_shared_team(old_apps):
    alice = make_user(old_apps, "alice")
    bob = make_user(old_apps, "bob")
    carol = make_user(old_apps, "carol")
    # Bob's project has the higher id but is the older one.
    make_project(old_apps, alice, "Support bot", age_days=5)
    make_project(old_apps, bob, "Docs search", age_days=50)
    make_project(old_apps, carol, "Pricing copy", age_days=20)
    before = snapshot(lambda name: old_apps.get_model("advisor", name))

    migrate(latest())

    assert snapshot(CURRENT.get) == before
    shared = Team.objects.get(name=SHARED_TEAM)
    assert Project.objects.filter(team=shared).count() == 3
    assert roles_in(shared) == {"alice": Role.EDITOR, "bob": Role.OWNER, "carol": Role.EDITOR}
    assert_personal_teams(["alice", "bob", "carol"])


def test_without_projects_no_shared_team_is_made(old_apps):
    make_user(old_apps, "root", superuser=True)
    make_user(old_apps, "alice")

    migrate(latest())

    assert not Team.objects.filter(name=SHARED_TEAM).exists()
    assert_personal_teams(["root", "alice"])
    assert Team.objects.count() == 2


def test_every_model_change_has_its_migration(db):
    # Otherwise the cases above would check a schema the models no longer have.
    call_command("makemigrations", "advisor", "--check", "--dry-run", stdout=StringIO())


# --- Deploying while the previous release serves ----------------------------------------------

# Migrations up to this one were written before the rule; each later one must pass it.
ZERO_DOWNTIME_FROM = 8
OLD_CODE_BREAKERS = (
    migrations.RemoveField,
    migrations.RenameField,
    migrations.DeleteModel,
    migrations.RenameModel,
)


def later_migrations() -> list[Migration]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return [
        migration
        for (app, name), migration in loader.disk_migrations.items()
        if app == "advisor" and int(name[:4]) >= ZERO_DOWNTIME_FROM
    ]


def test_new_migrations_leave_the_previous_release_working():
    for migration in later_migrations():
        # The previous release knows nothing of tables created here: any column is fine there.
        created = {
            op.name.lower() for op in migration.operations if isinstance(op, migrations.CreateModel)
        }
        for operation in migration.operations:
            where = f"{migration.name}: {operation.describe()}"
            assert not isinstance(operation, OLD_CODE_BREAKERS), (
                f"{where} breaks the release still serving; split it over two releases"
            )
            if isinstance(operation, migrations.AddField) and operation.model_name not in created:
                field = operation.field
                assert field.null or field.db_default is not NOT_PROVIDED or field.many_to_many, (
                    f"{where}: the previous release inserts rows without this column; make it "
                    "nullable or give it a db_default"
                )


def test_a_decision_inserted_without_the_new_columns_gets_their_defaults(db):
    # What the previous release's INSERT looks like: none of the columns 0008 added.
    project = Project.objects.create(team=Team.objects.create(name="Old code"), name="Old")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO advisor_decision "
            "(project_id, title, status, current_step, created_at, updated_at) "
            "VALUES (%s, 'From the old release', 'in_progress', 1, %s, %s)",
            [project.pk, timezone.now(), timezone.now()],
        )

    decision = Decision.objects.get(title="From the old release")
    assert decision.lifecycle == Decision.Lifecycle.PROPOSED
    assert decision.review_by is None


def test_past_decisions_get_their_completer_from_the_audit_trail(before_completer_column):
    apps = before_completer_column
    team = apps.get_model("advisor", "Team").objects.create(name="Before 0009")
    project = apps.get_model("advisor", "Project").objects.create(team=team, name="P")
    OldDecision = apps.get_model("advisor", "Decision")
    completed, _open = (
        OldDecision.objects.create(project=project, title=title, status=status)
        for title, status in (("Done", "complete"), ("Open", "in_progress"))
    )
    apps.get_model("advisor", "AuditEvent").objects.create(
        team=team,
        decision=completed,
        actor_name="priya",
        action="decision_completed",
        summary="completed “Done”",
    )

    migrate(latest())

    names = dict(Decision.objects.values_list("title", "completed_by_name"))
    assert names == {"Done": "priya", "Open": ""}


@pytest.fixture
def before_share_cost_choice(transactional_db):
    """The database just before 0018 (the share link's cost figures choice), and its models."""
    yield from models_at(("advisor", "0017_team_require_two_factor"))


def test_share_links_made_before_the_choice_keep_showing_the_cost_figures(
    before_share_cost_choice,
):
    apps = before_share_cost_choice
    team = apps.get_model("advisor", "Team").objects.create(name="Before 0018")
    project = apps.get_model("advisor", "Project").objects.create(team=team, name="P")
    decision = apps.get_model("advisor", "Decision").objects.create(
        project=project, title="Shared", status="complete"
    )
    apps.get_model("advisor", "ShareLink").objects.create(decision=decision, token="old-link")

    migrate(latest())

    assert ShareLink.objects.get(token="old-link").include_costs is True
    assert ShareLink.objects.create(decision_id=decision.pk, token="new").include_costs is False
