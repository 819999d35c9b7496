"""The app's configuration: after every migrate, the price table is brought up to the price
file shipped with the code (advisor/data/prices.json); in every process, a change to a user
drops the copies the sessions keep of them (advisor/web/sessions.py)."""

from __future__ import annotations

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db.models.signals import post_migrate


class AdvisorConfig(AppConfig):
    name = "advisor"

    def ready(self) -> None:
        post_migrate.connect(load_shipped_prices, sender=self)
        # Imported here: the module needs the user model, which cannot load while apps do.
        from advisor.web import sessions

        sessions.connect_signals()


def load_shipped_prices(sender: AppConfig, *, apps: Apps = global_apps, **kwargs) -> None:
    """Load the shipped price file, once the table has its current columns (a migrate to an
    older state loads nothing). `flush` sends the signal too, without `apps`: the rows come
    back after a test empties the tables.

    A malformed shipped file stops the migrate with InvalidPriceFile naming each fault.
    """
    try:
        columns = {f.name for f in apps.get_model("advisor", "ModelPrice")._meta.get_fields()}
    except LookupError:
        return
    if "is_default" not in columns:
        return
    # Imported here: the services import the models, which cannot load while apps do.
    from advisor import services

    services.prices_load_file()
