"""Finding decisions by the words in their title, their answers' notes and their comments.

A decision matches when one of those texts (the title, one note or one comment) holds every
word of the query. On PostgreSQL that is full text search in the "english" configuration:
words are stemmed ("decisions" also finds "decision") and stop words ("the", "and") ignored,
and results are ranked, a title hit above a note hit above a comment hit. Elsewhere (SQLite
in development and in the default test run) each word must appear in the text as typed,
ignoring ASCII case, so "decision" also finds "decisions" but not the other way round.
For whole words that appear verbatim, both find the same decisions.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from datetime import date
from functools import reduce
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from advisor.domain.excerpts import search_words
from advisor.models import Answer, Comment, Decision
from advisor.selectors.access import User, decisions_visible_to, teams_of, two_factor_met
from advisor.selectors.lifecycle import review_window
from advisor.selectors.outcomes import pilot_results

CONFIG = "english"


def search_teams(*, user: User):
    """The teams whose decisions the user may search, for the search form's team filter."""
    return teams_of(user).filter(two_factor_met(user)).order_by("name", "pk")


def decision_search(
    *, user: User, query: str, filters: Mapping[str, Any] | None = None, today: date
) -> QuerySet[Decision]:
    """Decisions of all the user's teams whose title, a note or a comment matches `query`,
    best first (see decisions_matching), narrowed by SearchForm.filters(), with their
    project, team and approach. With filters and no words: the filtered decisions, the most
    recently completed first, then those in progress."""
    decisions = (
        decisions_visible_to(user)
        .filter(two_factor_met(user, "project__team__"))
        .select_related("project__team")
        .annotate(approach=F("recommendation__approach"))
    )
    if filters:
        decisions = _filtered(decisions, filters, today)
        if not search_words(query):
            return decisions.order_by(F("completed_at").desc(nulls_last=True), "-pk")
    return decisions_matching(decisions, query)


def _filtered(
    decisions: QuerySet[Decision], filters: Mapping[str, Any], today: date
) -> QuerySet[Decision]:
    if team := filters.get("team"):
        decisions = decisions.filter(project__team=team)
    if status := filters.get("status"):
        decisions = decisions.filter(status=Decision.Status.COMPLETE, lifecycle=status)
    if approach := filters.get("approach"):
        decisions = decisions.filter(recommendation__approach=approach)
    if completed_from := filters.get("completed_from"):
        decisions = decisions.filter(completed_at__date__gte=completed_from)
    if completed_to := filters.get("completed_to"):
        decisions = decisions.filter(completed_at__date__lte=completed_to)
    if review := filters.get("review"):
        decisions = decisions.filter(review_window(review, today=today))
    if pilot := filters.get("pilot"):
        results = pilot_results(decisions).values()
        decisions = decisions.filter(pk__in={pk for pk, result in results if result == pilot})
    return decisions


def decisions_matching(decisions: QuerySet[Decision], query: str) -> QuerySet[Decision]:
    """The `decisions` that match `query`, best first, each with `title_matched` and the first
    `matched_note` and `matched_comment` that matched (None where none did)."""
    words = search_words(query)
    if not words:
        return decisions.none()
    if connections[decisions.db].vendor == "postgresql":
        return _full_text(decisions, " ".join(words))
    return _every_word(decisions, words)


def _every_word(decisions: QuerySet[Decision], words: list[str]) -> QuerySet[Decision]:
    def holds_every_word(field: str) -> Q:
        return reduce(operator.and_, (Q(**{f"{field}__icontains": word}) for word in words))

    notes = Answer.objects.filter(holds_every_word("note"), decision=OuterRef("pk"))
    comments = Comment.objects.filter(holds_every_word("body"), decision=OuterRef("pk"))
    return _with_matches(
        decisions,
        title_matched=holds_every_word("title"),
        notes=notes.order_by("pk"),
        comments=comments.order_by("created_at", "pk"),
    ).order_by("-title_matched", "-created_at", "-pk")


def _full_text(decisions: QuerySet[Decision], text: str) -> QuerySet[Decision]:
    query = SearchQuery(text, config=CONFIG, search_type="plain")

    def ranked(model, field: str, weight: str) -> QuerySet:
        vector = SearchVector(field, config=CONFIG, weight=weight)
        return (
            model.objects.annotate(document=vector, rank=SearchRank(vector, query))
            .filter(decision=OuterRef("pk"), document=query)
            .order_by("-rank", "pk")
        )

    notes, comments = ranked(Answer, "note", "B"), ranked(Comment, "body", "C")
    title = SearchVector("title", config=CONFIG, weight="A")
    found = _with_matches(
        decisions.annotate(title_document=title),
        title_matched=Q(title_document=query),
        notes=notes,
        comments=comments,
    )
    # A decision's rank: its title's, plus its best note's and its best comment's.
    rank = (
        SearchRank(title, query)
        + Coalesce(Subquery(notes.values("rank")[:1]), 0.0)
        + Coalesce(Subquery(comments.values("rank")[:1]), 0.0)
    )
    return found.annotate(rank=rank).order_by("-rank", "-created_at", "-pk")


def _with_matches(
    decisions: QuerySet[Decision], *, title_matched: Q, notes: QuerySet, comments: QuerySet
) -> QuerySet[Decision]:
    return decisions.annotate(
        title_matched=ExpressionWrapper(title_matched, output_field=BooleanField()),
        matched_note=Subquery(notes.values("note")[:1]),
        matched_comment=Subquery(comments.values("body")[:1]),
    ).filter(
        Q(title_matched=True) | Q(matched_note__isnull=False) | Q(matched_comment__isnull=False)
    )
