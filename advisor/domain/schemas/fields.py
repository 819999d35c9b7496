"""What the published schemas' models share: strict JSON, times and dates as ISO text, and
the domain's words (questions, approaches, verdicts, statuses) as enumerations.

Times and dates are read with the standard library's `fromisoformat`, as Advisor has always
read them, so a file that imported before still does.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from advisor.domain.engine import Approach, Verdict
from advisor.domain.lifecycle import STATUSES
from advisor.domain.questions import QUESTION_KEYS


class StrictModel(BaseModel):
    """JSON's types as they are: a number is not text and 1 is not true. Keys a model does
    not name are kept, so a file from a newer Advisor or an integrator's extra key still reads.
    """

    # Python's own regular expressions, so "not blank" means what str.strip() means.
    model_config = ConfigDict(
        strict=True, extra="allow", regex_engine="python-re", use_attribute_docstrings=True
    )


# The dates a file may hold: wide enough for any real decision, narrow enough that moving a
# date by years (reviews, reminders) or to another time zone stays within what Python and both
# databases hold.
EARLIEST = date(1970, 1, 1)
LATEST = date(9998, 12, 31)
RANGE_MESSAGE = f"A date must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}."


def read_moment(value: object) -> datetime:
    """A time from ISO 8601 text with its time zone; a validation error otherwise."""
    if not isinstance(value, str):
        raise PydanticCustomError("moment_type", "A time is ISO 8601 text.")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise PydanticCustomError("moment_naive", "A time needs its time zone.")
    try:
        in_utc = moment.astimezone(UTC)
    except OverflowError:  # year 1 east of UTC, or year 9999 west of it
        in_utc = None
    if in_utc is None or not EARLIEST <= in_utc.date() <= LATEST:
        raise PydanticCustomError("moment_range", RANGE_MESSAGE)
    return moment


def read_day(value: object) -> date:
    """A date from ISO 8601 text; a validation error otherwise."""
    if value is None:
        raise PydanticCustomError("day_missing", "A date is needed.")
    if not isinstance(value, str):
        raise PydanticCustomError("day_type", "A date is ISO 8601 text.")
    day = date.fromisoformat(value)
    if not EARLIEST <= day <= LATEST:
        raise PydanticCustomError("day_range", RANGE_MESSAGE)
    return day


Moment = Annotated[datetime, BeforeValidator(read_moment)]
"""A time with its time zone, as ISO 8601 text ("2026-11-20T09:30:00+00:00")."""

Day = Annotated[date, BeforeValidator(read_day)]
"""A date as ISO 8601 text ("2027-05-20")."""


QuestionKey = Literal[*QUESTION_KEYS]
ApproachName = Literal[*(str(approach) for approach in Approach)]
VerdictName = Literal[*(str(verdict) for verdict in Verdict)]
StatusName = Literal[*STATUSES]
