"""The estimate report's charts: geometry from advisor/domain/charts/, and what the partials of
templates/advisor/includes/estimate_report.html show a reader (and a screen reader).

Reports are built by the real cost model, so a change to its shape breaks these tests rather
than the result page. Geometry tests need no Django; the rendering tests need templates only,
no database.
"""

from __future__ import annotations

import copy
import itertools
import math
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from advisor.domain import charts, costs
from advisor.domain.charts import (
    break_even_sentence,
    cost_chart,
    latency_chart,
    money,
    money_short,
    ms_range,
    nice_ticks,
    ship_chart,
    unit_money,
    weeks_text,
)
from tests.prices import FOUR_O_AZURE, MINI_AZURE, MINI_NO_HOSTING

# The shipped Azure row under a short name the assertions below quote.
PRICES = costs.Prices(**{**MINI_AZURE.to_dict(), "model": "M", "edited": ()})
NO_HOSTING = costs.Prices(**{**MINI_NO_HOSTING.to_dict(), "model": "M", "edited": ()})
BIG = costs.Prices(**{**FOUR_O_AZURE.to_dict(), "model": "B", "edited": ()})
TUNED = "rag_plus_fine_tuning"  # what a knowledge problem's report weighs against RAG


def make_report(
    data: dict | None = None,
    *,
    prices: costs.Prices = PRICES,
    target_ms: int | None = 1000,
    rerank: bool = True,
    approach: str = "rag",
    labeled_data: str = "none",
    problem: str = "knowledge",
    tuned_prices: costs.Prices | None = None,
) -> dict:
    estimate = costs.CostInputs.from_mapping(
        {"rerank": rerank, **(data or {})},
        prices=prices,
        tuned_prices=tuned_prices,
        answers={"labeled_data": labeled_data, "problem": problem},
    )
    return costs.estimate_report(
        estimate,
        target_ms=target_ms,
        approach=approach,
        labeled_data=labeled_data,
        problem=problem,
    )


@pytest.fixture
def report() -> dict:
    # At 200,000 queries a month the $1.70 an hour hosting keeps fine-tuning dearer throughout.
    return make_report({"monthly_queries": 200_000})


@pytest.fixture
def crossing_report() -> dict:
    # GPT-4o answering, a tuned GPT-4o mini without hosting replacing it, 200,000 queries a
    # month: the tuned model reads the context far cheaper, and the labelling, training and
    # 80 hours of tuning work are paid back in month 19.
    return make_report({"monthly_queries": 200_000}, prices=BIG, tuned_prices=NO_HOSTING)


def parse_points(points: str) -> list[tuple[float, float]]:
    return [tuple(float(n) for n in pair.split(",")) for pair in points.split()]


# --- Formatting -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "$0.00"),
        (0.1, "$0.10"),
        (1234.5, "$1,234.50"),
        (37826.0, "$37,826.00"),
        (1_234_567.891, "$1,234,567.89"),
        (-5, "-$5.00"),
        (None, ""),
    ],
)
def test_money_has_cents_and_separators(amount, text):
    assert money(amount) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "$0"),
        (0.25, "$0.25"),
        (250, "$250"),
        (1000, "$1k"),
        (1500, "$1.5k"),
        (12_000, "$12k"),
        (1_200_000, "$1.2M"),
        (3e9, "$3B"),
        (2e12, "$2T"),
    ],
)
def test_money_short_for_axes(amount, text):
    assert money_short(amount) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "$0.00"),
        (0.000966, "$0.000966"),
        (0.0003, "$0.0003"),
        (0.5, "$0.50"),
        (0.25, "$0.25"),
        (3.1, "$3.10"),
        (1234.5, "$1,234.50"),
    ],
)
def test_unit_money_keeps_fractions_of_a_cent(amount, text):
    assert unit_money(amount) == text


def test_ms_range():
    assert ms_range(300, 700) == "300\N{EN DASH}700 ms"
    assert ms_range(500, 1500) == "500\N{EN DASH}1,500 ms"
    assert ms_range(0, 0) == "0 ms"


@pytest.mark.parametrize(
    ("weeks", "text"),
    [
        (1, "1 week"),
        (6, "6 weeks"),
        (12, "12 weeks (about 3 months)"),
        # The framework's "4 months or more" for a tuned model.
        (16, "16 weeks (about 4 months)"),
        (28, "28 weeks (about 6 months)"),
    ],
)
def test_weeks_text(weeks, text):
    assert weeks_text(weeks) == text


@pytest.mark.parametrize(
    ("volume", "cheaper", "text"),
    [
        (
            410_000,
            "fine_tuning",
            "Fine-tuning is cheaper than RAG over 24 months at 410,000 queries a month or more.",
        ),
        (0, "fine_tuning", "Fine-tuning is cheaper than RAG over 24 months at any volume."),
        # Lower fixed costs, dearer queries: RAG still wins at the volume entered.
        (
            0,
            "rag",
            "Fine-tuning's fixed costs are lower, but each query costs more on it: at this "
            "volume RAG is cheaper over 24 months.",
        ),
        (None, "rag", "Fine-tuning does not pay off against RAG within 24 months at any volume."),
    ],
)
def test_break_even_volume_in_words(volume, cheaper, text):
    assert break_even_sentence(volume, cheaper) == text


# --- Scales -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (20_000, [0, 5_000, 10_000, 15_000, 20_000]),
        (20_001, [0, 10_000, 20_000, 30_000]),
        (37_826, [0, 10_000, 20_000, 30_000, 40_000]),
        (1_500, [0, 500, 1_000, 1_500]),
        (34, [0, 10, 20, 30, 40]),
        (0.3, [0, 0.1, 0.2, 0.3]),
        (0, [0, 0.5, 1]),
        (-5, [0, 0.5, 1]),
        (float("nan"), [0, 0.5, 1]),
    ],
)
def test_nice_ticks(maximum, ticks):
    assert nice_ticks(maximum) == ticks


@pytest.mark.parametrize("maximum", [0.004, 1, 7, 99, 101, 12_345, 9.99e8, 1e13])
def test_nice_ticks_cover_the_maximum_with_round_steps(maximum):
    ticks = nice_ticks(maximum)
    assert ticks[0] == 0
    assert ticks[-1] >= maximum
    assert ticks[-2] < maximum  # no empty step above the maximum
    assert 2 <= len(ticks) - 1 <= 5
    step = ticks[1]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 9) in {1, 2, 5}


# --- Cost chart ------------------------------------------------------------------------------


def test_cost_points_lie_in_the_plot_with_months_left_to_right(report):
    chart = cost_chart(report)
    plot = chart.plot
    assert [s.key for s in chart.series] == ["prompt_engineering", "rag", "fine_tuning", TUNED]
    for series in chart.series:
        points = parse_points(series.points)
        assert len(points) == 24
        xs = [x for x, _ in points]
        assert xs == sorted(xs)
        assert len(set(xs)) == 24
        assert (xs[0], xs[-1]) == (plot.left, plot.right)
        assert all(plot.top <= y <= plot.bottom for _, y in points)


def test_cost_y_axis_is_inverted_and_the_top_tick_covers_the_highest_cost(report):
    chart = cost_chart(report)
    tuned = parse_points(next(s for s in chart.series if s.key == TUNED).points)
    # Cumulative cost grows, so each month's point is higher up: a smaller y.
    ys = [y for _, y in tuned]
    assert ys == sorted(ys, reverse=True)
    highest = max(max(c["cumulative"]) for c in report["curves"].values())
    assert chart.y_ticks[-1].value >= highest
    assert chart.y_ticks[-1].pos == chart.plot.top
    assert (chart.y_ticks[0].value, chart.y_ticks[0].pos) == (0, chart.plot.bottom)
    # The highest cost is the highest point, less than one tick step below the top.
    all_ys = [y for s in chart.series for _, y in parse_points(s.points)]
    assert ys[-1] == min(all_ys)
    step_height = chart.y_ticks[0].pos - chart.y_ticks[1].pos
    assert chart.plot.top <= ys[-1] < chart.plot.top + step_height
    assert [tick.label for tick in chart.y_ticks] == ["$0", "$50k", "$100k", "$150k", "$200k"]


def test_a_round_highest_cost_maps_to_the_top_of_the_plot(report):
    report = copy.deepcopy(report)
    report["curves"][TUNED]["cumulative"] = [1000.0 * m for m in range(1, 24)] + [200_000.0]
    chart = cost_chart(report)
    tuned = next(s for s in chart.series if s.key == TUNED)
    assert tuned.end_y == chart.plot.top
    assert chart.y_ticks[-1].label == "$200k"


def test_cost_x_ticks_are_months_1_6_12_18_24(report):
    chart = cost_chart(report)
    assert [tick.label for tick in chart.x_ticks] == ["1", "6", "12", "18", "24"]
    assert chart.x_ticks[0].pos == chart.plot.left
    assert chart.x_ticks[-1].pos == chart.plot.right


def test_no_break_even_marker_when_fine_tuning_never_catches_up(report):
    assert report["break_even_month"] is None
    chart = cost_chart(report)
    assert chart.break_even is None
    assert "does not become cheaper than RAG within 24 months" in chart.summary


def test_break_even_marker_sits_on_the_fine_tuning_line(crossing_report):
    month = crossing_report["break_even_month"]
    assert month == 19
    chart = cost_chart(crossing_report)
    mark = chart.break_even
    assert mark is not None
    assert mark.label == "RAG plus fine-tuning cheaper than RAG from month 19"
    tuned = parse_points(next(s for s in chart.series if s.key == TUNED).points)
    assert (mark.x, mark.y) == tuned[month - 1]
    assert mark.x == pytest.approx(chart.plot.left + 18 / 23 * chart.plot.width, abs=0.1)
    # Right of centre, so the label reads leftwards and stays inside the chart.
    assert mark.anchor == "end"
    assert mark.label_x < mark.x
    assert chart.summary.endswith("RAG plus fine-tuning cheaper than RAG from month 19.")


def test_an_early_break_even_label_reads_rightwards_inside_the_chart():
    report = make_report({"monthly_queries": 300_000}, prices=BIG, tuned_prices=NO_HOSTING)
    chart = cost_chart(report)
    mark = chart.break_even
    assert mark is not None
    assert mark.month == 9
    assert mark.anchor == "start"
    assert mark.label_x > mark.x
    assert mark.label_x + len(mark.label) * charts.CHAR_WIDTH <= chart.width
    assert chart.plot.top < mark.label_y <= chart.plot.bottom


def test_break_even_label_when_fine_tuning_leads_only_at_first(report):
    # A smaller upfront cost but a higher running cost: cheaper in months 1-3, then not.
    report = copy.deepcopy(report)
    report["curves"]["rag"]["cumulative"] = [1000.0 + 100 * m for m in range(1, 25)]
    report["curves"][TUNED]["cumulative"] = [500.0 + 250 * m for m in range(1, 25)]
    report["break_even_month"] = 1
    mark = cost_chart(report).break_even
    assert mark is not None
    assert mark.label == "RAG plus fine-tuning cheaper than RAG until month 3 only"


def test_all_zero_costs_draw_flat_lines_without_dividing_by_zero():
    free = costs.Prices(
        model="Free",
        as_of="2024-11-01",
        input_per_m=0,
        cached_input_per_m=0,
        output_per_m=0,
        tuned_input_per_m=0,
        tuned_output_per_m=0,
        training_per_m=0,
        hosting_per_hour=0,
    )
    report = make_report(
        {
            "monthly_queries": 0,
            "vector_store_per_month": 0,
            "embedding_per_m": 0,
            "labelled_pairs_needed": 0,
            "retrain_fixed_cost": 0,
            "engineer_hourly": 0,
        },
        prices=free,
    )
    chart = cost_chart(report)
    for series in chart.series:
        assert {y for _, y in parse_points(series.points)} == {chart.plot.bottom}
        assert series.total == "$0.00"
    assert chart.y_ticks[-1].pos == chart.plot.top
    # Equal costs every month: no "cheaper" claim.
    assert chart.break_even is not None
    assert chart.break_even.label == "RAG plus fine-tuning and RAG cost the same every month"
    assert [row.per_query for row in chart.rows] == ["$0.00"] * 4


def test_a_single_huge_cost_keeps_every_point_in_the_plot(report):
    report = copy.deepcopy(report)
    report["curves"]["fine_tuning"]["cumulative"] = [4e12 * m / 24 for m in range(1, 25)]
    chart = cost_chart(report)
    for series in chart.series:
        assert all(chart.plot.top <= y <= chart.plot.bottom for _, y in parse_points(series.points))
    assert chart.y_ticks[-1].label == "$4T"
    pe = parse_points(chart.series[0].points)
    assert all(y == chart.plot.bottom for _, y in pe)  # too small to lift off the axis


def test_cost_rows_and_prices(report):
    chart = cost_chart(report)
    rag = next(row for row in chart.rows if row.key == "rag")
    curve = report["curves"]["rag"]
    # 0.10 to embed the corpus and 320 hours at $100 to build; each month 120 of tokens, 0.20
    # of question embedding, 400 of reranking, 0.0333 of re-embedding and 24 hours at $100.
    assert rag.total == money(curve["cumulative"][-1]) == "$102,085.70"
    assert rag.upfront == "$32,000.10"
    assert rag.running == money(curve["monthly"][1]) == "$2,920.23"
    assert rag.per_query == "$0.014601"
    assert rag.recommended
    assert chart.prices is not None
    assert chart.prices.as_of.isoformat() == "2024-11-01"
    assert chart.prices.edited == ()
    assert chart.monthly_queries == "200,000"
    assert chart.sensitivity == tuple(item["summary"] for item in report["sensitivity"])


def test_edited_prices_are_named():
    report = make_report({"hosting_per_hour": "2.5", "input_per_m": "0.2"})
    prices = cost_chart(report).prices
    assert prices is not None
    assert prices.edited == (
        costs.FIELDS["input_per_m"].label,
        costs.FIELDS["hosting_per_hour"].label,
    )


# --- Latency chart ----------------------------------------------------------------------------


def test_latency_bars_stack_fast_ends_then_slow_end_extras(report):
    chart = latency_chart(report)
    plot = chart.plot
    top_ms = chart.ticks[-1].value
    assert [bar.key for bar in chart.bars] == [
        "prompt_engineering",
        "rag",
        "fine_tuning",
        "rag_plus_fine_tuning",
    ]
    for bar in chart.bars:
        budget = report["latency"][bar.key]
        segments = bar.segments
        assert segments[0].x == plot.left
        for before, after in itertools.pairwise(segments):
            assert after.x == pytest.approx(before.x + before.width, abs=0.15)
        solid = [s for s in segments if not s.light]
        light = [s for s in segments if s.light]
        assert segments == tuple(solid + light)
        fast_end = solid[-1].x + solid[-1].width
        slow_end = segments[-1].x + segments[-1].width
        assert fast_end == pytest.approx(
            plot.left + budget["low_ms"] / top_ms * plot.width, abs=0.2
        )
        assert slow_end == pytest.approx(
            plot.left + budget["high_ms"] / top_ms * plot.width, abs=0.2
        )
        assert slow_end <= plot.right
    rag = chart.bars[1]
    assert (
        rag.label
        == "Retrieval (RAG): 516\N{EN DASH}1,548 ms, within the target at the fast end only"
    )
    assert len(rag.segments) == 10  # five stages, each a fast part and a slow-end extra


def test_latency_target_line(report):
    chart = latency_chart(report)
    assert chart.target is not None
    assert chart.target.label == "Target 1,000 ms"
    top_ms = chart.ticks[-1].value
    assert chart.target.x == pytest.approx(
        chart.plot.left + 1000 / top_ms * chart.plot.width, abs=0.1
    )
    assert chart.verdicts[1] == "At risk: fast end only"
    assert "Target: 1,000 ms." in chart.summary


def test_latency_without_a_target():
    chart = latency_chart(make_report(target_ms=None, rerank=False))
    assert chart.target is None
    assert chart.verdicts == ("", "", "", "")
    assert "target" not in chart.summary
    # A large model reading 800 prompt tokens: 300 + 16 to 700 + 48 ms, and 100-400 ms of
    # retrieval without a reranker.
    assert chart.totals[1] == "416\N{EN DASH}1,148 ms"
    assert [row.stage for row in chart.rows] == [
        "Model, first token",
        "Embedding the question",
        "Vector search",
        "Reading the retrieved context",
    ]


def test_a_stage_keeps_its_colour_in_every_bar(report):
    chart = latency_chart(report)
    colours: dict[str, set[str]] = {}
    for bar in chart.bars:
        for segment in bar.segments:
            name = segment.label.split(":")[0]
            colours.setdefault(name, set()).add(segment.css_class)
    assert all(len(classes) == 1 for classes in colours.values())
    assert len({next(iter(c)) for c in colours.values()}) == len(colours)


# --- Time-to-ship chart -----------------------------------------------------------------------


def test_ship_segments_follow_the_milestones(report):
    chart = ship_chart(report)
    top_weeks = chart.ticks[-1].value
    assert top_weeks >= max(plan["weeks"] for plan in report["time_to_ship"].values())
    for bar in chart.bars:
        plan = report["time_to_ship"][bar.key]
        assert len(bar.segments) == len(plan["milestones"])
        end = bar.segments[-1].x + bar.segments[-1].width
        assert end == pytest.approx(
            chart.plot.left + plan["weeks"] / top_weeks * chart.plot.width, abs=0.2
        )
        assert [s.text for s in bar.segments] == [
            str(n) for n in range(1, len(plan["milestones"]) + 1)
        ]
    tuned = next(row for row in chart.rows if row.key == "fine_tuning")
    assert tuned.total == "15 weeks (about 3 months)"
    assert [m.span for m in tuned.milestones] == ["0\N{EN DASH}12", "12\N{EN DASH}15"]
    assert {m.source for m in tuned.milestones} == {"Framework figure", "Our assumption"}
    # Retrieval and the labelled set are built side by side, in two lanes of one bar.
    both = next(bar for bar in chart.bars if bar.key == TUNED)
    assert [(s.y, s.height) for s in both.segments] == [
        (both.y, 11),
        (both.y + 11, 11),
        (both.y, 11),
    ]


def test_a_report_of_cost_model_2026_11_1_draws_as_it_did():
    """Saved reports keep their shape: no comparison (fine-tuning against RAG), milestones
    one after another in a single lane."""
    report = make_report({"monthly_queries": 200_000})
    del report["comparison"]
    chart = cost_chart(report)
    assert chart.no_sensitivity == (
        "No single input, within its limits, would change which of RAG and fine-tuning is cheaper."
    )
    assert chart.break_even_text.startswith("Fine-tuning")
    plan = report["time_to_ship"]["fine_tuning"]
    plan["milestones"] = [
        {
            "label": "Labelled set",
            "weeks": 12,
            "source": "framework",
            "start_week": 0,
            "end_week": 12,
        },
        {"label": "Tuned", "weeks": 16, "source": "framework", "start_week": 12, "end_week": 28},
    ]
    bar = next(bar for bar in ship_chart(report).bars if bar.key == "fine_tuning")
    assert [(s.y, s.height) for s in bar.segments] == [(bar.y, bar.height)] * 2


# --- The template -----------------------------------------------------------------------------


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.append(attributes["id"])

    handle_startendtag = handle_starttag


def collect(html: str) -> Collector:
    parser = Collector()
    parser.feed(html)
    return parser


def svgs(html: str) -> list[ET.Element]:
    """Each inline SVG parsed as XML: it must be well formed, text escaped."""
    return [
        ET.fromstring(match)  # noqa: S314 (our own template's output, not untrusted input)
        for match in re.findall(r"<svg class=\"chart .*?</svg>", html, re.S)
    ]


def render(report: dict, part: str = "report", **context) -> str:
    return render_to_string(
        f"advisor/includes/estimate_report.html#{part}", {"report": report, **context}
    )


def test_report_renders_three_accessible_charts_with_tables(report):
    html = render(report)
    charts_ = svgs(html)
    assert len(charts_) == 3
    ids = collect(html).ids
    for svg in charts_:
        assert svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby").split()
        title, desc = svg.find("title"), svg.find("desc")
        assert title is not None
        assert title.get("id") == title_id
        assert title.text
        assert desc is not None
        assert desc.get("id") == desc_id
        assert desc.text
        assert {title_id, desc_id} <= set(ids)
    assert html.count("<table") == 3
    assert html.count("<caption") == 3
    assert 'scope="col"' in html
    assert 'scope="row"' in html
    for curve in report["curves"].values():
        assert money(curve["cumulative"][-1]) in html
    for total in ("$28,640.00", "$102,085.70", "$98,626.00", "$173,511.70"):
        assert total in html


def test_cost_desc_summarises_the_totals(crossing_report):
    html = render(crossing_report, "cost")
    desc = svgs(html)[0].find("desc").text
    assert desc.startswith("Cumulative cost over 24 months: Prompt engineering $")
    assert "RAG plus fine-tuning cheaper than RAG from month 19." in desc
    assert "break-even" not in desc.lower()


def test_report_shows_the_prices_date_break_even_and_sensitivity(report):
    html = render(report)
    assert "Prices: M, recorded" in html
    assert '<time datetime="2024-11-01">1 Nov 2024</time>' in html
    assert "Changed for this estimate" not in html
    assert report["break_even_volume"] is None
    assert "RAG plus fine-tuning does not pay off against RAG within 24 months at any volume." in (
        html
    )
    for item in report["sensitivity"]:
        assert f"<li>{item['summary']}</li>".replace("'", "&#x27;") in html
    assert "Target 1,000 ms" in html
    assert "Reranking the results" in html
    assert "Labelled set built from scratch" in html
    assert "15 weeks (about 3 months)" in html
    # A target missed: what would shorten the wait, for the recommended approach.
    assert "Skip reranking, or rerank fewer candidates with a faster reranker." in html


def test_edited_prices_are_flagged_in_the_page():
    html = render(make_report({"hosting_per_hour": "2.5"}), "cost")
    assert "Changed for this estimate, so not as recorded on that date:" in html
    assert "Tuned model hosting ($ an hour)" in html


def test_no_inline_style_or_script(report, crossing_report):
    for sample in (report, crossing_report):
        html = render(sample)
        assert 'style="' not in html
        assert "<style" not in html
        assert "<script" not in html
        assert not re.search(r"<[^>]+\son\w+=", html)  # no event handler attributes


def test_user_text_is_escaped(report):
    hostile = "<script>alert(1)</script>"
    report = copy.deepcopy(report)
    report["inputs"]["prices"]["model"] = hostile
    report["latency"]["rag"]["stages"][0]["name"] = '<img src=x onerror="alert(1)">'
    report["time_to_ship"]["rag"]["milestones"][0]["label"] = "<b>live</b>"
    report["sensitivity"][0]["summary"] = "<i>flip</i>"
    html = render(report)
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html
    assert "&lt;img src=x" in html
    assert "<b>live</b>" not in html
    assert "<i>flip</i>" not in html
    assert len(svgs(html)) == 3  # still well-formed XML


def test_ids_are_unique_and_take_the_prefix(report):
    html = render(report)
    ids = collect(html).ids
    assert len(ids) == len(set(ids))
    assert all(i.startswith("estimate-") for i in ids)
    two = render(report, prefix="old") + render(report, prefix="new")
    ids = collect(two).ids
    assert len(ids) == len(set(ids))
    assert {"old-cost-title", "new-cost-title"} <= set(ids)


@pytest.mark.parametrize(
    ("part", "title"),
    [("cost", "Cumulative cost"), ("latency", "Time to first token"), ("ship", "Time to ship")],
)
def test_each_partial_renders_alone(report, part, title):
    html = render(report, part)
    [svg] = svgs(html)
    assert svg.find("title").text.startswith(title)
    assert html.count("<table") == 1
    assert "estimate-report" not in html


def test_whole_template_is_the_report(report):
    html = render_to_string("advisor/includes/estimate_report.html", {"report": report})
    assert '<div class="estimate-report">' in html
    assert len(svgs(html)) == 3


@pytest.mark.parametrize("part", ["report", "cost", "latency", "ship"])
def test_no_report_renders_nothing(part):
    assert render(None, part).strip() == ""


def test_coordinates_ignore_the_locale(report):
    # German writes 64,5: inside an SVG attribute that would be two numbers.
    with translation.override("de"):
        html = render(report)
    for svg in svgs(html):
        for element in svg.iter():
            for name in ("x", "y", "x1", "y1", "width", "cx", "points"):
                value = element.get(name)
                if value is not None:
                    assert "," not in value or name == "points"
        for polyline in svg.iter("polyline"):
            assert all(len(pair.split(",")) == 2 for pair in polyline.get("points").split())
