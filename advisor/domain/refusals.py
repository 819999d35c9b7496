"""The refusals a wizard action can meet; each message is shown to the user as it is."""

from __future__ import annotations


class WizardError(Exception):
    """A wizard action that cannot be done as asked; the message is shown to the user."""

    def __init__(self, message: str, *, step: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.step = step


class DecisionAlreadyComplete(WizardError):
    pass


class LifecycleError(Exception):
    """A status change, supersede or review date that cannot be made as asked; the message is
    shown to the user, and nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
