"""The price table from the price file: advisor/data/prices.json on every migrate, or any file
through `manage.py load_prices FILE`. Reading and checking the file is the domain's job
(`advisor.domain.schemas.prices`); this writes what it holds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from advisor.domain.costs import PRICE_FIELDS
from advisor.domain.schemas.prices import PriceRow, read_price_file
from advisor.models import ModelPrice

SHIPPED_PRICES = Path(__file__).resolve().parent.parent / "data" / "prices.json"


@dataclass
class PricesLoaded:
    """What a load did, by model name."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """In the file, but the table's row was read later (an admin's newer edit): left alone."""
    retired: list[str] = field(default_factory=list)
    default: str = ""

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.kept)} left alone (newer in the table), "
            f"{len(self.retired)} retired. Default: {self.default}."
        )


@transaction.atomic
def prices_load(*, rows: Sequence[PriceRow], as_of: date) -> PricesLoaded:
    """Add or update the table's rows from checked price-file rows (matched by model name).

    A row the table holds with a later date than the file's row is left alone, so an
    admin's newer prices are not overwritten. Offered rows missing from the file and dated
    before `as_of` are retired: no longer offered for new estimates, but kept for those
    that chose them. Afterwards exactly one row is the default: the file's, unless the
    table's default was set on a row read after the file.
    """
    loaded = PricesLoaded()
    table = {price.model: price for price in ModelPrice.objects.select_for_update()}
    for row in rows:
        values = _columns(row)
        price = table.get(row.model)
        if price is None:
            table[row.model] = ModelPrice.objects.create(model=row.model, **values)
            loaded.added.append(row.model)
        elif price.as_of > row.read_on:
            loaded.kept.append(row.model)
        elif any(getattr(price, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(price, name, value)
            price.save(update_fields=[*values])
            loaded.updated.append(row.model)
        else:
            loaded.unchanged.append(row.model)
    in_file = {row.model for row in rows}
    for price in table.values():
        if price.model not in in_file and price.offered and price.as_of < as_of:
            price.offered = False
            price.save(update_fields=["offered"])
            loaded.retired.append(price.model)
    loaded.default = _default_set(table, rows, as_of=as_of).model
    return loaded


def prices_load_file(*, path: Path = SHIPPED_PRICES, today: date | None = None) -> PricesLoaded:
    """Check the price file at `path` and load it; InvalidPriceFile names every fault, and
    then nothing is written."""
    checked = read_price_file(path.read_bytes(), today=today)
    return prices_load(rows=checked.rows, as_of=checked.as_of)


def _columns(row: PriceRow) -> dict[str, object]:
    return {
        "provider": row.provider,
        "size": row.size,
        "as_of": row.read_on,
        **{name: Decimal(str(getattr(row, name))) for name in PRICE_FIELDS},
        "tuning_open": row.tuning_open,
        "retires_on": row.retires_on,
        "source_url": row.source_url,
        "source": row.note,
        "offered": True,
    }


def _default_set(
    table: dict[str, ModelPrice], rows: Sequence[PriceRow], *, as_of: date
) -> ModelPrice:
    current = next((price for price in table.values() if price.is_default), None)
    if current is not None and current.offered and current.as_of > as_of:
        return current
    chosen = table[next(row.model for row in rows if row.default)]
    # One statement clears the old default before the new one is set: the constraint allows
    # at most one row marked at any moment.
    ModelPrice.objects.filter(is_default=True).exclude(pk=chosen.pk).update(is_default=False)
    if not chosen.is_default:
        chosen.is_default = True
        chosen.save(update_fields=["is_default"])
    for price in table.values():
        price.is_default = price.pk == chosen.pk
    return chosen
