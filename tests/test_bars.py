"""Bar geometry for the dashboard's charts: plain functions, plain tables."""

from __future__ import annotations

import pytest

from advisor.domain.charts.bars import (
    BAR_HEIGHT,
    ELLIPSIS,
    LABEL_HEIGHT,
    MAX_LABEL_CHARS,
    ROW_HEIGHT,
    VALUE_ROOM,
    bar_chart,
    short_label,
)

WIDTH = 456  # a plot of 400 once the room for the values is taken
PLOT = WIDTH - VALUE_ROOM


@pytest.mark.parametrize(
    ("pairs", "scale_max", "widths", "scale"),
    [
        ([("RAG", 4), ("Fine-tuning", 2), ("Prompts", 1)], None, [400, 200, 100], 4),
        ([("RAG", 3), ("Fine-tuning", 0)], None, [400, 0], 3),
        ([("A", 0), ("B", 0), ("C", 0)], None, [0, 0, 0], 1),
        ([("Only", 7)], None, [400], 7),
        ([("A", 1), ("B", 2)], 8, [50, 100], 8),
        ([("Over", 12)], 8, [400], 8),  # beyond the scale: full width, never wider
        ([("Negative", -3), ("B", 3)], None, [0, 400], 3),
        ([("Third", 1)], 3, [133.3], 3),
        ([], None, [], 1),
    ],
    ids=[
        "proportional",
        "a-zero",
        "all-zeros",
        "one-bar",
        "fixed-scale",
        "above-scale",
        "negative",
        "rounded",
        "empty",
    ],
)
def test_bar_widths_follow_the_scale(pairs, scale_max, widths, scale):
    chart = bar_chart(pairs, width=WIDTH, scale_max=scale_max)

    assert [bar.width for bar in chart.bars] == widths
    assert chart.scale_max == scale
    assert [bar.value for bar in chart.bars] == [value for _, value in pairs]


@pytest.mark.parametrize("count", [0, 1, 3, 12])
def test_rows_stack_downwards_with_room_for_each_label(count):
    chart = bar_chart([(f"Row {n}", n) for n in range(count)], width=WIDTH)

    assert chart.height == max(count, 1) * ROW_HEIGHT
    assert [bar.y for bar in chart.bars] == [n * ROW_HEIGHT + LABEL_HEIGHT for n in range(count)]
    for bar in chart.bars:
        assert bar.height == BAR_HEIGHT
        assert bar.x == 0
        assert 0 < bar.label_y < bar.y  # the label sits above its bar
        assert bar.y < bar.value_y <= bar.y + bar.height  # the value beside it
        assert bar.value_x == bar.width + 6
        assert bar.value_x <= WIDTH - VALUE_ROOM + 6  # the value fits in its room


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Retrieval (RAG)", "Retrieval (RAG)"),
        ("x" * MAX_LABEL_CHARS, "x" * MAX_LABEL_CHARS),
        ("x" * (MAX_LABEL_CHARS + 1), "x" * (MAX_LABEL_CHARS - 1) + ELLIPSIS),
        ("word " * 20, ("word " * 20)[: MAX_LABEL_CHARS - 1].rstrip() + ELLIPSIS),
        ("", ""),
    ],
    ids=["short", "at-limit", "one-over", "words", "empty"],
)
def test_long_labels_are_shortened_with_an_ellipsis(label, expected):
    assert short_label(label) == expected
    assert len(short_label(label)) <= MAX_LABEL_CHARS
    assert bar_chart([(label, 1)]).bars[0].label == expected


@pytest.mark.parametrize(
    ("hrefs", "expected"),
    [
        ((), ["", ""]),
        (("/a",), ["/a", ""]),
        (("/a", "/b"), ["/a", "/b"]),
        (("/a", ""), ["/a", ""]),
    ],
    ids=["none", "fewer-than-bars", "each", "an-empty-one"],
)
def test_each_bar_takes_its_link_in_order(hrefs, expected):
    chart = bar_chart([("A", 1), ("B", 2)], hrefs=hrefs)

    assert [bar.href for bar in chart.bars] == expected


def test_a_link_covers_its_row_from_the_label_down_without_touching_the_next():
    chart = bar_chart([("A", 1), ("B", 2), ("C", 3)], width=WIDTH)

    for bar, following in zip(chart.bars, chart.bars[1:], strict=False):
        assert bar.row_y < bar.label_y - 10  # above the label's baseline, by a line
        assert bar.y + bar.height <= bar.row_y + chart.row_height < following.row_y
