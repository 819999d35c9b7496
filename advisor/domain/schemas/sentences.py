"""How the import words what the export's models find: a `Sentence` names a key's path and
the kinds of fault (pydantic's error types) it words. advisor.domain.schemas.decision_rules
holds the sentences of the file's keys; a model with a module of its own (team_answers.py)
brings its own, so their wording lives beside the keys they name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from pydantic_core import ErrorDetails

from advisor.domain.questions import question_for
from advisor.domain.schemas.fields import EARLIEST, LATEST

Path = tuple[str | int, ...]


class Sentence(NamedTuple):
    path: Path  # "*" stands for any list index, or the question an answer is told apart by
    faults: frozenset[str]  # pydantic's error types
    text: str | None  # None: a rule says it better
    once_per: int = 0  # said once per this many leading parts of the path (0: once per key)


TEXT = frozenset({"string_type", "string_too_short", "string_too_long", "string_pattern_mismatch"})
NOT_TEXT = frozenset({"string_type"})
TOO_LONG = frozenset({"string_too_short", "string_too_long"})
WORD = frozenset({"literal_error"})
# A list or an object is malformed where a key holds one of Advisor's words, and just another
# value where it holds an answer or a status move (as the checks before the models had it).
ANY_WORD = WORD | {"list_or_object"}
APPROACH = "“{input}” is not an approach Advisor knows."
# A date or time outside what the file may hold (fields.EARLIEST to fields.LATEST).
OUT_OF_RANGE = frozenset({"moment_range", "day_range"})
DATE_RANGE = f"The date at “{{field}}” must be between {EARLIEST} and {LATEST}."


def worded(text: str, error: ErrorDetails, document: Mapping[str, Any]) -> str:
    """`text` with the fault's details filled in: the value found, the question it answers
    and its choices, the metric's name, the key's path."""
    path = error["loc"]
    # An answer's path holds its question, the tag that tells the answers' models apart.
    question = question_for(str(path[2])) if path[0] == "answers" else None
    parent = found_at(document, path[:-1])
    return text.format(
        input=error["input"],
        title=question.title if question else "",
        choices=", ".join(question.values) if question else "",
        name=parent.get("name") if isinstance(parent, dict) else "",
        field="".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)[1:],
    )


def found_at(document: Any, path: Path) -> Any:
    for part in path:
        try:
            document = document[part]
        except (KeyError, IndexError, TypeError):
            return None
    return document
