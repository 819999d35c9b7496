"""Share links and the cost figures: the editor chooses, when making a link, whether its page
and JSON show them; without, no figure of the team's estimate is on either."""

from __future__ import annotations

import copy
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from advisor import selectors, services
from advisor.domain.costs import without_cost_figures
from advisor.domain.costs.withheld import WITHHELD_REASON, WITHHELD_TRIGGER
from advisor.models import AuditEvent, Decision, ShareLink
from tests.conftest import HX
from tests.factories import answered_decision, completed_decision

pytestmark = pytest.mark.django_db

# Retrieval plus fine-tuning at 30 million queries a month: the advice quotes the numbers in
# the cost factor's reason, the pilot's cost-per-query target and the distillation stage.
COSTED_ANSWERS = {
    "problem": "both",
    "data_change": "occasional",
    "latency": "interactive",
    "cost": "high_volume",
    "labeled_data": "plenty",
}
# A dollar amount as the page and the JSON's sentences write one ("$522,321", "$0.0011").
AMOUNT = re.compile(r"\$\s?\d")


def decision_with_numbers(**kwargs) -> Decision:
    """A completed decision made with the team's numbers (DecisionFactory's `kwargs`)."""
    decision = answered_decision(COSTED_ANSWERS, title="Claims assistant", **kwargs)
    # The default row of the shipped price file, which a flushed database (the browser
    # tests') has too.
    price = selectors.price_named(model=None)
    estimate = selectors.estimate_build(
        answers=COSTED_ANSWERS, price=price, data={"monthly_queries": "30000000"}
    )
    services.estimate_save(decision=decision, price=price, estimate=estimate, latency_target_ms=900)
    services.decision_complete(decision=decision, user=decision.created_by)
    decision.refresh_from_db()
    return decision


@pytest.fixture
def costed(team) -> Decision:
    """A decision with numbers in the logged-in user's team."""
    return decision_with_numbers(project__team=team)


def create_url(decision: Decision) -> str:
    return reverse("advisor:share_create", args=[decision.pk])


def page_url(link: ShareLink) -> str:
    return reverse("advisor:share_page", args=[link.token])


def json_url(link: ShareLink) -> str:
    return reverse("advisor:share_json", args=[link.token])


def figures(decision: Decision) -> list[str]:
    """Texts of the estimate that must not leave the team without the figures."""
    report = decision.recommendation.estimate
    volume = f"{report['inputs']['monthly_queries']:,}"
    return [report["summary"], f"{volume} queries a month", "The numbers it was made with"]


def sharing_section(html: str) -> str:
    start = html.index('<section id="sharing"')
    return html[start : html.index("</section>", start)]


# --- The choice -----------------------------------------------------------------------------


def test_the_form_offers_the_cost_figures_unticked_for_a_decision_with_numbers(
    client_logged_in, costed
):
    section = sharing_section(client_logged_in.get(costed.get_absolute_url()).text)

    assert "Include the cost figures" in section
    box = re.search(r'<input type="checkbox" name="costs"[^>]*>', section)
    assert box
    assert "checked" not in box.group(0)
    assert "It leaves out the cost figures unless you include them." in section


def test_a_decision_without_numbers_has_no_cost_figures_to_offer(client_logged_in, team):
    decision = completed_decision(project__team=team)
    services.share_create(decision=decision, user=decision.created_by, expires_in_days=7)

    section = sharing_section(client_logged_in.get(decision.get_absolute_url()).text)

    assert "cost figures" not in section.lower()
    assert 'name="costs"' not in section


def test_a_link_leaves_the_figures_out_unless_the_box_is_ticked(client_logged_in, costed):
    client_logged_in.post(create_url(costed), {"expires": "7"}, headers=HX)
    response = client_logged_in.post(
        create_url(costed), {"expires": "7", "costs": "on"}, headers=HX
    )

    without, with_costs = ShareLink.objects.order_by("pk")
    assert (without.include_costs, with_costs.include_costs) == (False, True)
    summaries = AuditEvent.objects.filter(action=AuditEvent.Action.SHARE_CREATED).order_by("pk")
    assert [event.summary for event in summaries] == [
        "shared “Claims assistant” by link (expires in 7 days)",
        "shared “Claims assistant” by link (expires in 7 days, with the cost figures)",
    ]
    # The list says which links show them, newest first.
    rows = sharing_section(response.text).split("<tbody>")[1].split("<tr")[1:]
    assert ['<td data-label="Cost figures">Included</td>' in row for row in rows] == [True, False]
    assert ['<td data-label="Cost figures">Left out</td>' in row for row in rows] == [False, True]


def test_a_ticked_box_for_a_decision_without_numbers_includes_nothing(client_logged_in, team):
    decision = completed_decision(project__team=team)

    client_logged_in.post(create_url(decision), {"expires": "7", "costs": "on"}, headers=HX)

    assert ShareLink.objects.get().include_costs is False


# --- What the page and the JSON show --------------------------------------------------------


def test_without_the_figures_the_page_and_json_hold_none_of_the_estimate(costed):
    link = services.share_create(decision=costed, user=costed.created_by, expires_in_days=None)
    client = Client()

    page = client.get(page_url(link)).text
    document = client.get(json_url(link)).json()
    text = json.dumps(document, ensure_ascii=False)

    for figure in figures(costed):
        assert escape(figure) not in page, figure
        assert figure not in text, figure
    assert AMOUNT.findall(page) == []
    assert AMOUNT.findall(text) == []
    assert "<svg" not in page
    rec = document["recommendation"]
    assert rec["estimate"] is None
    assert escape(WITHHELD_REASON) in page
    assert escape(WITHHELD_TRIGGER) in page
    cost = next(metric for metric in rec["pilot_metrics"] if metric["key"] == "cost_per_query")
    assert cost["threshold"] is None
    # The advice the numbers led to is still there.
    assert rec["approach"] == costed.recommendation.approach
    assert [item["rag"] for item in rec["rationale"]] == [
        item["rag"] for item in costed.recommendation.rationale
    ]


def test_with_the_figures_the_page_and_json_show_the_whole_estimate(costed):
    link = services.share_create(
        decision=costed, user=costed.created_by, expires_in_days=None, include_costs=True
    )
    client = Client()

    page = client.get(page_url(link)).text
    document = client.get(json_url(link)).json()

    for figure in figures(costed):
        assert escape(figure) in page, figure
    assert AMOUNT.search(page)
    assert "<svg" in page
    assert escape(WITHHELD_REASON) not in page
    assert document["recommendation"]["estimate"] == costed.recommendation.estimate
    assert document["recommendation"]["plan"] == costed.recommendation.plan


def test_each_link_keeps_its_own_choice_when_its_page_comes_from_the_cache(costed):
    without = services.share_create(decision=costed, user=costed.created_by, expires_in_days=7)
    with_costs = services.share_create(
        decision=costed, user=costed.created_by, expires_in_days=7, include_costs=True
    )
    client = Client()
    summary = costed.recommendation.estimate["summary"]

    # Each page twice: rendered, then served from the cache.
    for _ in range(2):
        assert escape(summary) not in client.get(page_url(without)).text
        assert escape(summary) in client.get(page_url(with_costs)).text


def test_a_members_page_with_the_figures_never_lends_them_to_a_link_without(
    costed, client_logged_in
):
    # The member's page is rendered first, so its snapshot part (with the figures) is cached
    # before the link's page asks for the snapshot of the same recommendation.
    link = services.share_create(decision=costed, user=costed.created_by, expires_in_days=7)
    summary = costed.recommendation.estimate["summary"]

    assert escape(summary) in client_logged_in.get(costed.get_absolute_url()).text
    page = Client().get(page_url(link)).text

    assert escape(summary) not in page
    assert AMOUNT.findall(page) == []
    assert escape(summary) in client_logged_in.get(costed.get_absolute_url()).text


# --- The pure function ----------------------------------------------------------------------


def test_a_snapshot_without_numbers_is_shown_as_it_is():
    snapshot = {
        "estimate": None,
        "rationale": [{"question": "cost", "answer": "scaling", "why": "Costs $5 a month."}],
        "plan": None,
        "pilot_metrics": None,
    }

    assert without_cost_figures(snapshot) == snapshot


def test_only_the_sentences_that_quote_the_estimate_are_replaced():
    report = {"summary": "At 10 queries a month, retrieval costs $9."}
    snapshot = {
        "estimate": report,
        "rationale": [
            {"question": "problem", "why": "Facts."},
            {"question": "cost", "why": report["summary"] + " Closed to tuning."},
        ],
        "plan": [
            {"key": "evaluate", "trigger": None},
            {"key": "distil", "trigger": "When it runs above $0.0011."},
        ],
        "pilot_metrics": [
            {"key": "cost_per_query", "threshold": 0.0011},
            {"key": "ttft_p95", "threshold": 2000},
        ],
    }

    before = copy.deepcopy(snapshot)

    shown = without_cost_figures(snapshot)

    assert shown == {
        "estimate": None,
        "rationale": [
            {"question": "problem", "why": "Facts."},
            {"question": "cost", "why": WITHHELD_REASON},
        ],
        "plan": [
            {"key": "evaluate", "trigger": None},
            {"key": "distil", "trigger": WITHHELD_TRIGGER},
        ],
        "pilot_metrics": [
            {"key": "cost_per_query", "threshold": None},
            {"key": "ttft_p95", "threshold": 2000},
        ],
    }
    assert snapshot == before  # the saved snapshot's values are never changed in place
