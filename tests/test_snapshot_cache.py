"""The snapshot's part of a completed decision's page is rendered once, then read from the
cache (services.pagecache, `{% snapshot %}`); what changes around it renders per request."""

from __future__ import annotations

import hashlib

from django.urls import reverse

from advisor import services
from advisor.services import pagecache
from tests.factories import completed_decision

MARK = "<p>served from the cache</p>"


def test_the_second_visit_reads_the_snapshot_part_from_the_cache(client_logged_in, team):
    decision = completed_decision(project__team=team, title="Docs assistant")
    first = client_logged_in.get(decision.get_absolute_url()).text
    variant = pagecache.snapshot_variant(public=False, can_edit=True, figures=False)
    assert pagecache.snapshot_get(pk=decision.recommendation.pk, variant=variant) in first

    pagecache.snapshot_set(pk=decision.recommendation.pk, variant=variant, html=MARK)
    decision.title = "Support assistant"
    decision.save(update_fields=["title"])
    second = client_logged_in.get(decision.get_absolute_url()).text

    assert MARK in second
    assert "Support assistant" in second  # the title is not part of the snapshot
    assert "Docs assistant" not in second


def test_editors_and_viewers_each_get_their_own_section_links(
    client_logged_in, viewer_client, team
):
    decision = completed_decision(project__team=team)

    editor_page = client_logged_in.get(decision.get_absolute_url()).text
    viewer_page = viewer_client.get(decision.get_absolute_url()).text

    assert '<a class="nav-link" href="#share">Share and export</a>' in editor_page
    assert '<a class="nav-link" href="#share">Export</a>' in viewer_page
    assert "Share and export" not in viewer_page


def test_a_share_page_gets_the_public_rendering_after_a_members_visit(client_logged_in, team):
    decision = completed_decision(project__team=team)
    link = services.share_create(decision=decision, user=decision.created_by, expires_in_days=7)
    member_page = client_logged_in.get(decision.get_absolute_url()).text

    shared = client_logged_in.get(reverse("advisor:share_page", args=[link.token])).text

    assert 'href="#history"' in member_page
    assert 'href="#history"' not in shared
    assert 'href="#why"' in shared


def test_the_release_digest_covers_the_code_and_templates():
    # A new release must never be served an older one's pages from the cache.
    assert (pagecache.ROOT / "templates" / "advisor" / "decision_result.html").is_file()
    assert hashlib.sha256().hexdigest()[:16] != pagecache.RELEASE  # not the digest of nothing
