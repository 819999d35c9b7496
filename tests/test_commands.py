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
    decision = Decision.objects.get(project=project)
    assert decision.status == Decision.Status.COMPLETE
    assert decision.recommendation.approach == "rag"
    assert client.login(username=DEMO_USERNAME, password=DEMO_PASSWORD)
    assert "Retrieval (RAG)" in client.get(decision.get_absolute_url()).text


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=StringIO())

    call_command("seed_demo", stdout=StringIO())

    assert Project.objects.count() == 1
    assert Recommendation.objects.count() == 1
