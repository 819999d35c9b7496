"""The dated price table shipped with the app, as the database holds it after migrating."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.db import IntegrityError

from advisor.models import ModelPrice

pytestmark = pytest.mark.django_db

SHIPPED = importlib.import_module("advisor.migrations.0006_load_price_table")


def test_every_shipped_price_is_in_the_table_with_its_date():
    rows = {price.model: price for price in ModelPrice.objects.all()}

    assert set(rows) == {row["model"] for row in SHIPPED.PRICES}
    for row in SHIPPED.PRICES:
        price = rows[row["model"]]
        assert price.as_of.isoformat() == SHIPPED.AS_OF
        assert price.hosting_per_hour == Decimal(row["hosting_per_hour"])
        assert price.input_per_m == Decimal(row["input_per_m"])


def test_a_negative_price_is_refused_by_the_database():
    price = ModelPrice.objects.first()
    price.hosting_per_hour = Decimal("-1")

    with pytest.raises(IntegrityError):
        price.save()


def test_a_price_names_its_date():
    price = ModelPrice.objects.get(model="GPT-4o mini (Azure OpenAI)")

    assert str(price) == "GPT-4o mini (Azure OpenAI) (prices of 01 Nov 2024)"
