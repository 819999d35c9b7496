"""`make screens`: the result page, the dashboard and a wizard step at laptop and phone size.

Builds the demo data in a throwaway SQLite database, serves it with the development server on a
free port, and has Chromium (the same binary as the browser tests) take a screenshot of each
page's first screen into docs/screens/. Prints each page's full height, the figure the page
issues quote. Not part of `make test`: the screenshots are for people, and they change with
every layout change.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

import django

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screens"
SIZES = {"laptop": (1280, 900), "phone": (390, 844)}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)  # noqa: S603


def demo_pages() -> dict[str, str]:
    """The paths to photograph, found in the demo data (and a draft decision made for it)."""
    django.setup()
    from advisor import services
    from advisor.management.commands.seed_demo import DEMO_PROJECT, DEMO_USERNAME
    from advisor.models import Decision, Project

    project = Project.objects.get(name=DEMO_PROJECT)
    shown = (
        Decision.objects.filter(project=project, recommendation__isnull=False)
        .order_by("-recommendation__created_at")
        .first()
    )
    user = project.team.memberships.get(user__username=DEMO_USERNAME).user
    draft = services.decision_start(project=project, user=user, title="Support replies")
    return {
        "result": shown.get_absolute_url(),
        "dashboard": f"/teams/{project.team_id}/dashboard/",
        "wizard": f"/decisions/{draft.pk}/step/1/",
    }


def wait_ready(url: str) -> None:
    for _ in range(100):
        try:
            with urlopen(f"{url}/accounts/login/"):  # noqa: S310 (our own local server)
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"The development server did not answer at {url}.")


def photograph(url: str, pages: dict[str, str]) -> None:
    from playwright.sync_api import sync_playwright

    from advisor.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERNAME

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for size, (width, height) in SIZES.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            page.goto(f"{url}/accounts/login/")
            page.fill("#id_login", DEMO_USERNAME)
            page.fill("#id_password", DEMO_PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url("**/projects/")
            for name, path in pages.items():
                page.goto(url + path)
                full = page.evaluate("document.documentElement.scrollHeight")
                page.screenshot(path=OUT / f"{name}-{size}.png")
                print(f"{name:10} {size:7} {width}x{height}: {full} px tall")
            context.close()
        browser.close()


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="advisor-screens-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'screens.sqlite3'}"
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    manage("migrate", "--no-input", "-v", "0")
    manage("seed_demo")
    pages = demo_pages()
    port = free_port()
    command = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL)  # noqa: S603
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ready(url)
        photograph(url, pages)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
