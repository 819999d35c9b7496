"""Fill the price table from advisor/data/prices.json, the dated figures shipped with the app.

Rows that exist already are left alone: once installed, the table is the admin's to edit.
"""

import json
from pathlib import Path

from django.db import migrations

PRICES = Path(__file__).resolve().parent.parent / "data" / "prices.json"


def forwards(apps, schema_editor):
    ModelPrice = apps.get_model("advisor", "ModelPrice")
    data = json.loads(PRICES.read_text())
    for row in data["models"]:
        ModelPrice.objects.get_or_create(
            model=row["model"], defaults={**row, "as_of": data["as_of"]}
        )


class Migration(migrations.Migration):
    dependencies = [("advisor", "0005_price_table")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
