"""The production settings plus the benchmark-only peer and bare views, and emails to files.

gunicorn runs with this module during `make bench` so the peer is measured in the same server,
under the same middleware, as the app; config/settings.py never learns about it. The task
worker runs with it too, and writes each email it sends to a file of its own in EMAIL_DIR
(Django's file backend) instead of printing it, so bench/emails.py can tell when each left.
"""

from pathlib import Path

from config.settings import *  # noqa: F403 (every production setting, but the mailer)
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "formtools", "bench.peers"]
ROOT_URLCONF = "bench.urls"

EMAIL_DIR = Path(__file__).resolve().parent / "results" / "tmp" / "emails"
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(EMAIL_DIR)},
    }
}
