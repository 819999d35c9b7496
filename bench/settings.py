"""The production settings plus the benchmark-only peer and bare views.

gunicorn runs with this module during `make bench` so the peer is measured in the same server,
under the same middleware, as the app; config/settings.py never learns about it.
"""

from config.settings import *  # noqa: F403 (every production setting, unchanged)
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "formtools", "bench.peers"]
ROOT_URLCONF = "bench.urls"
