"""How the import words what the export's models find: a `Sentence` names a key's path and
the kinds of fault (pydantic's error types) it words. advisor.domain.schemas.decision_rules
holds the sentences of the file's keys; a model with a module of its own (team_answers.py)
brings its own, so their wording lives beside the keys they name.
"""

from __future__ import annotations

from typing import NamedTuple

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
