"""What the published schemas' models share: strict JSON, times and dates as ISO text, and
the domain's words (questions, approaches, verdicts, statuses) as enumerations.

Times and dates are read with the standard library's `fromisoformat`, as Advisor has always
read them, so a file that imported before still does.
"""

from __future__ import annotations

from datetime import date, datetime
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


def read_moment(value: object) -> datetime:
    """A time from ISO 8601 text with its time zone; a validation error otherwise."""
    if not isinstance(value, str):
        raise PydanticCustomError("moment_type", "A time is ISO 8601 text.")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise PydanticCustomError("moment_naive", "A time needs its time zone.")
    return moment


def read_day(value: object) -> date:
    """A date from ISO 8601 text; a validation error otherwise."""
    if value is None:
        raise PydanticCustomError("day_missing", "A date is needed.")
    if not isinstance(value, str):
        raise PydanticCustomError("day_type", "A date is ISO 8601 text.")
    return date.fromisoformat(value)


Moment = Annotated[datetime, BeforeValidator(read_moment)]
"""A time with its time zone, as ISO 8601 text ("2026-11-20T09:30:00+00:00")."""

Day = Annotated[date, BeforeValidator(read_day)]
"""A date as ISO 8601 text ("2027-05-20")."""


QuestionKey = Literal[*QUESTION_KEYS]
ApproachName = Literal[*(str(approach) for approach in Approach)]
VerdictName = Literal[*(str(verdict) for verdict in Verdict)]
StatusName = Literal[*STATUSES]
