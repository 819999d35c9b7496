"""Column geometry for the dashboard's chart over time: plain functions, plain tables."""

from __future__ import annotations

import pytest

from advisor.domain.charts.columns import (
    COLUMN_SHARE,
    MIN_TICK_SLOT,
    TICK_ROOM,
    VALUE_ROOM,
    column_chart,
    tick_step,
)

WIDTH, HEIGHT = 360, 150
BASELINE = HEIGHT - TICK_ROOM
PLOT = BASELINE - VALUE_ROOM  # 116


@pytest.mark.parametrize(
    ("values", "heights", "scale"),
    [
        ([4, 2, 1], [116, 58, 29], 4),
        ([3, 0], [116, 0], 3),
        ([0, 0, 0], [0, 0, 0], 1),
        ([7], [116], 7),
        ([-3, 3], [0, 116], 3),
        ([1, 3], [38.7, 116], 3),
        ([], [], 1),
    ],
    ids=["proportional", "a-zero", "all-zeros", "one", "negative", "rounded", "empty"],
)
def test_column_heights_follow_the_largest_value(values, heights, scale):
    chart = column_chart([(f"M{n}", v) for n, v in enumerate(values)], width=WIDTH, height=HEIGHT)

    assert [column.height for column in chart.columns] == heights
    assert chart.scale_max == scale
    for column in chart.columns:
        assert column.y + column.height == pytest.approx(chart.baseline)  # standing on it
        assert column.value_y < column.y  # the value above the column
        assert column.value_y > 0


@pytest.mark.parametrize("count", [1, 3, 12, 24])
def test_columns_share_the_width_in_order_without_overlapping(count):
    chart = column_chart([(str(n), n) for n in range(count)], width=WIDTH, height=HEIGHT)
    slot = WIDTH / count

    for index, column in enumerate(chart.columns):
        assert column.slot_x == pytest.approx(index * slot, abs=0.1)
        assert column.slot_width == pytest.approx(slot, abs=0.1)
        assert column.width == pytest.approx(slot * COLUMN_SHARE, abs=0.1)
        assert column.slot_x <= column.x < column.x + column.width <= column.slot_x + slot + 0.1
        assert column.centre == pytest.approx(column.slot_x + slot / 2, abs=0.2)
    assert chart.columns[-1].slot_x + chart.columns[-1].slot_width <= WIDTH + 0.1
    assert chart.baseline == BASELINE
    assert chart.baseline < chart.tick_y <= HEIGHT


@pytest.mark.parametrize(
    ("count", "width", "step"),
    [(0, 360, 1), (1, 360, 1), (6, 360, 1), (10, 360, 1), (12, 360, 2), (24, 360, 3), (12, 600, 1)],
)
def test_ticks_are_thinned_to_stay_apart(count, width, step):
    assert tick_step(count, width) == step
    assert step == 1 or width / count * step >= MIN_TICK_SLOT


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (3, [0, 1, 2]),
        (12, [1, 3, 5, 7, 9, 11]),
        (13, [0, 2, 4, 6, 8, 10, 12]),
    ],
)
def test_the_last_tick_is_always_written(count, shown):
    ticks = [f"T{n}" for n in range(count)]
    chart = column_chart([(f"Label {n}", n) for n in range(count)], ticks=ticks, width=WIDTH)

    assert [n for n, column in enumerate(chart.columns) if column.tick] == shown
    assert all(chart.columns[n].tick == f"T{n}" for n in shown)
    assert [column.label for column in chart.columns] == [f"Label {n}" for n in range(count)]


def test_ticks_default_to_the_labels_and_links_to_none():
    chart = column_chart([("Mar", 1), ("Apr", 2)], hrefs=["/march"])

    assert [column.tick for column in chart.columns] == ["Mar", "Apr"]
    assert [column.href for column in chart.columns] == ["/march", ""]
