"""Operator commands."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from advisor.management.commands.seed_demo import DEMO_PASSWORD, DEMO_PROJECT, DEMO_USERNAME
from advisor.models import Decision, Project, Recommendation

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_a_login_and_a_completed_rag_decision(client):
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert DEMO_USERNAME in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()
    project = Project.objects.get(name=DEMO_PROJECT)
    decision = Decision.objects.get(project=project, revisit_of=None)
    assert decision.status == Decision.Status.COMPLETE
    assert decision.recommendation.approach == "rag"
    assert client.login(username=DEMO_USERNAME, password=DEMO_PASSWORD)
    assert "Retrieval (RAG)" in client.get(decision.get_absolute_url()).text


def test_the_demo_project_shows_a_due_review_an_outcome_a_comment_and_a_revisit(client):
    call_command("seed_demo", stdout=StringIO())
    client.login(username=DEMO_USERNAME, password=DEMO_PASSWORD)
    original = Decision.objects.get(revisit_of=None)
    revisit = Decision.objects.get(revisit_of=original)

    project_page = client.get(original.project.get_absolute_url()).text
    original_page = client.get(original.get_absolute_url()).text
    revisit_page = client.get(revisit.get_absolute_url()).text

    assert "Overdue reviews" in project_page
    assert original.lifecycle == Decision.Lifecycle.ACCEPTED
    assert "Retrieval recall@5" in original_page
    assert "Met</span> at least 80 %" in original_page
    assert "Worth a second look" in original_page
    assert revisit.recommendation.approach == "rag"
    assert "2 answers" in revisit_page


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=StringIO())

    call_command("seed_demo", stdout=StringIO())

    assert Project.objects.count() == 1
    assert Recommendation.objects.count() == 2
