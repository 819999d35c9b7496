"""The one way an action is refused: `Refused`, whose messages are shown to the user as they
are, having changed nothing. A subclass exists only where a caller answers it differently."""

from __future__ import annotations


class Refused(Exception):
    """An action that cannot be done as asked; nothing was changed.

    `messages` says why, one sentence per fault (an imported file can have several);
    `message` is them as one text. `step` is the wizard step to show instead, if any.
    """

    def __init__(self, *messages: str, step: int | None = None) -> None:
        self.messages = list(messages)
        self.message = " ".join(messages)
        self.step = step
        super().__init__(self.message)


class DecisionAlreadyComplete(Refused):
    """The decision was completed (perhaps in another tab): its result is the page to show."""
