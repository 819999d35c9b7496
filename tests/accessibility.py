"""axe in real Chromium: check several pages of a journey, then fail once listing them all."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page


class AxeChecks:
    """Runs axe on each page it is given and keeps every violation report by page name."""

    def __init__(self) -> None:
        self._axe = Axe()
        self.failures: dict[str, str] = {}

    def check(self, page: Page, name: str) -> None:
        results = self._axe.run(page)
        if results.violations_count:
            self.failures[name] = results.generate_report()

    def assert_clean(self) -> None:
        assert not self.failures, "axe violations:\n\n" + "\n\n".join(
            f"== {name}\n{report}" for name, report in self.failures.items()
        )
