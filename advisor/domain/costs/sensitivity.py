"""Which single input, moved alone, would flip the cheaper of a tuned approach and its rival
over the horizon (`money.rivals`); each cost is affine in any one input, so the flip point is
solved exactly."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from advisor.domain.costs.estimate import CostInputs
from advisor.domain.costs.inputs import FIELDS, NUMERIC_FIELDS, InputField
from advisor.domain.costs.money import Choices, Pair, _exact, _gap_line, _horizon_gap, _name, _title
from advisor.domain.engine import Approach


@dataclass(frozen=True, slots=True)
class Threshold:
    """The value of one input at which the cheaper of the rival pair (`rivals`: the tuned
    approach and what it would replace) changes.

    `direction` is "above" when raising the input makes `cheaper` win, "below" when lowering
    it does. For a whole-number input `value` is the first whole value on the other side; for
    a dollar input it is the exact crossing point (at which the tuned approach wins the tie).
    """

    field: str
    value: float
    summary: str
    direction: str
    cheaper: Approach


def sensitivity(estimate: CostInputs, pair: Pair) -> tuple[Threshold, ...]:
    """For each numeric input, in field order, the value that alone would flip which of the
    pair (tuned, rival) is cheaper over the horizon, when that value is within the field's
    limits.

    Each cost is affine in any one numeric input, so the flip point is solved exactly; inputs
    that do not move the gap (an input both sides pay alike, or one multiplied by a zero) are
    skipped, and so are the choices (batch, rerank, the vector store).
    """
    v, c = _exact(estimate), Choices.of(estimate)
    tuned_now = _horizon_gap(v, c, pair) <= 0
    found = []
    for name in NUMERIC_FIELDS:
        at_zero, slope = _gap_line(v, c, pair, name)
        if slope == 0:
            continue
        crossing = -at_zero / slope
        if crossing == v[name]:
            continue
        threshold = _threshold(FIELDS[name], crossing, slope, tuned_now, v[name], pair)
        if threshold is not None:
            found.append(threshold)
    return tuple(found)


def _threshold(
    spec: InputField,
    crossing: Fraction,
    slope: Fraction,
    tuned_now: bool,
    current: Fraction,
    pair: Pair,
) -> Threshold | None:
    # The gap rises with the input when slope > 0. The tuned approach wins where the gap is
    # <= 0, so below the crossing (slope > 0) or above it (slope < 0), the crossing included.
    tuned, rival = pair
    cheaper = rival if tuned_now else tuned
    direction = "above" if (slope < 0) != tuned_now else "below"
    low, high = spec.minimum, spec.maximum
    if spec.whole:
        if direction == "above":
            first = math.ceil(crossing) if cheaper is tuned else math.floor(crossing) + 1
        else:
            first = math.floor(crossing) if cheaper is tuned else math.ceil(crossing) - 1
        if not low <= first <= high:
            return None
        value: float = first
        condition = _whole_condition(spec, first, direction)
    else:
        # The flipped side must hold at least one allowed value.
        if direction == "above" and (crossing > high or (crossing == high and cheaper is rival)):
            return None
        if direction == "below" and (crossing < low or (crossing == low and cheaper is rival)):
            return None
        value = float(crossing)
        if value == float(current):
            return None  # a crossing too close to the entered figure for a float to tell apart
        condition = (
            _share_condition(spec, crossing, direction)
            if spec.share
            else _money_condition(spec, crossing, direction)
        )
    loser = rival if cheaper is tuned else tuned
    winner = _title(_name(cheaper))
    return Threshold(
        field=spec.name,
        value=value,
        summary=f"{winner} becomes cheaper than {_name(loser)} {condition}.",
        direction=direction,
        cheaper=cheaper,
    )


def _whole_condition(spec: InputField, value: int, direction: str) -> str:
    if direction == "below" and value == spec.minimum:
        return f"only at {value:,} {spec.unit}"
    return f"at {value:,} or {'more' if direction == 'above' else 'fewer'} {spec.unit}"


def _money_condition(spec: InputField, crossing: Fraction, direction: str) -> str:
    # Round away from the crossing, so the sentence stays true as printed.
    up = direction == "above"
    amount = _dollar_text(crossing, up=up)
    if amount is None:
        return f"if {spec.cost_of} cost next to nothing"
    return f"if {spec.cost_of} cost {'over' if up else 'under'} {amount}{spec.per}"


def _share_condition(spec: InputField, crossing: Fraction, direction: str) -> str:
    # A whole percent, rounded away from the crossing.
    up = direction == "above"
    percent = math.ceil(crossing * 100) if up else math.floor(crossing * 100)
    return f"if {spec.cost_of} were {'over' if up else 'under'} {percent}%"


def _dollar_text(amount: Fraction, *, up: bool) -> str | None:
    """Dollars with cents, or two significant digits below a dollar ($0.0035); None when the
    amount rounds down to nothing."""
    places = 2
    while amount * 10**places < 10 and places < 8:
        places += 1
    scaled = amount * 10**places
    whole = math.ceil(scaled) if up else math.floor(scaled)
    if whole == 0:
        return None
    return f"${Decimal(whole).scaleb(-places):,.{places}f}"
