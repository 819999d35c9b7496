"""A completed decision's lifecycle: which status moves are allowed, what a refused move says,
and when an accepted decision should be reviewed.

Pure Python (no Django), so the whole table is tested without a database. The status values
are those of `Decision.Lifecycle`; the answer keys and values those of `advisor.domain.questions`.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date

PROPOSED = "proposed"
ACCEPTED = "accepted"
REJECTED = "rejected"
SUPERSEDED = "superseded"
DEPRECATED = "deprecated"

STATUSES = (PROPOSED, ACCEPTED, REJECTED, SUPERSEDED, DEPRECATED)

# Every legal move. Rejected, superseded and deprecated are final: deciding again means a new
# decision (a revisit), so the record of what was decided stays as it was.
TRANSITIONS: dict[str, frozenset[str]] = {
    PROPOSED: frozenset({ACCEPTED, REJECTED}),
    ACCEPTED: frozenset({SUPERSEDED, DEPRECATED}),
    REJECTED: frozenset(),
    SUPERSEDED: frozenset(),
    DEPRECATED: frozenset(),
}

# Superseding needs the decision that replaces the old one, so a plain status change never
# makes it; only the supersede action does.
NEEDS_A_REPLACEMENT = frozenset({SUPERSEDED})

# Why nothing can leave a final status, and what to do instead.
FINAL = {
    REJECTED: "A rejected decision stays rejected: revisit it to decide again.",
    SUPERSEDED: (
        "A superseded decision stays superseded: the decision that replaced it is the one "
        "that holds now."
    ),
    DEPRECATED: "A deprecated decision stays deprecated: revisit it to decide again.",
}


def refusal(from_status: str, to_status: str, *, superseding: bool = False) -> str | None:
    """Why the move from `from_status` to `to_status` cannot be made, or None when it can.

    `superseding` is True for the supersede action, the only way into "superseded".
    """
    if to_status not in STATUSES:
        return "Choose one of the statuses offered."
    if from_status == to_status:
        return f"This decision is already {to_status}."
    if from_status in FINAL:
        return FINAL[from_status]
    if to_status not in TRANSITIONS[from_status]:
        return _not_from(from_status, to_status)
    if to_status in NEEDS_A_REPLACEMENT and not superseding:
        return "To supersede a decision, choose the decision that replaces it."
    return None


def _not_from(from_status: str, to_status: str) -> str:
    if from_status == PROPOSED:
        return f"Only an accepted decision can be {to_status}: accept this one first, or reject it."
    # From accepted, what is left is a step back to proposed or rejected.
    return (
        f"An accepted decision cannot be {to_status} now: deprecate it, or supersede it with a "
        "newer decision."
    )


def moves(from_status: str) -> tuple[str, ...]:
    """The statuses a plain status change may move to, in the order of STATUSES."""
    allowed = TRANSITIONS.get(from_status, frozenset()) - NEEDS_A_REPLACEMENT
    return tuple(status for status in STATUSES if status in allowed)


def can_be_superseded(status: str) -> bool:
    return SUPERSEDED in TRANSITIONS.get(status, frozenset())


# A decision that replaces another must itself be live: proposed (it is accepted along the
# way) or already accepted.
MAY_REPLACE = (PROPOSED, ACCEPTED)


# --- Review dates ------------------------------------------------------------------------------

# Months until an accepted decision is due for review, by the answer to "How often the data
# changes": data that moves weekly can change the advice within a month; a stable body of
# examples rarely does. An unknown or missing answer gets the middle figure.
REVIEW_MONTHS = {"frequent": 1, "occasional": 3, "rare": 6}
DEFAULT_REVIEW_MONTHS = 3


def review_months(answers: Mapping[str, str]) -> int:
    return REVIEW_MONTHS.get(answers.get("data_change", ""), DEFAULT_REVIEW_MONTHS)


def default_review_date(answers: Mapping[str, str], *, accepted_on: date) -> date:
    """When a decision accepted on `accepted_on` should be reviewed, from its answers."""
    return add_months(accepted_on, review_months(answers))


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when shorter (31 Jan + 1: 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def days_overdue(review_by: date, *, today: date) -> int:
    """How many days past its review date a decision is; 0 or less when it is not overdue."""
    return (today - review_by).days


def review_phrase(review_by: date, *, today: date) -> str:
    """How a review date stands today, in words: "overdue by 3 days", "due today"."""
    late = days_overdue(review_by, today=today)
    if late > 0:
        return f"overdue by {late} day{'s' if late > 1 else ''}"
    if late == 0:
        return "due today"
    return f"due in {-late} day{'s' if late < -1 else ''}"
