"""Fill the price table with the dated list prices shipped with the app.

The figures live here, not in a file read at migration time, so a database migrated today and
one migrated next year start from the same rows. Rows that exist already are left alone: once
installed, the table is the admin's to edit (newer prices go in through the admin, or in a new
migration).
"""

from django.db import migrations

AS_OF = "2024-11-01"
# List prices in US dollars as published by the vendors on the as-of date, entered by hand.
# Prices change: check the vendor's pricing page and correct the row in the admin, with the
# date you read it.
PRICES = [
    {
        "model": "GPT-4o mini (Azure OpenAI)",
        "input_per_m": "0.15",
        "output_per_m": "0.60",
        "tuned_input_per_m": "0.30",
        "tuned_output_per_m": "1.20",
        "training_per_m": "3.00",
        "hosting_per_hour": "1.70",
        "source": "Azure OpenAI pricing page; tuned deployments are billed by the hour",
    },
    {
        "model": "GPT-4o (Azure OpenAI)",
        "input_per_m": "2.50",
        "output_per_m": "10.00",
        "tuned_input_per_m": "3.75",
        "tuned_output_per_m": "15.00",
        "training_per_m": "25.00",
        "hosting_per_hour": "1.70",
        "source": "Azure OpenAI pricing page; tuned deployments are billed by the hour",
    },
    {
        "model": "GPT-4o mini (OpenAI API)",
        "input_per_m": "0.15",
        "output_per_m": "0.60",
        "tuned_input_per_m": "0.30",
        "tuned_output_per_m": "1.20",
        "training_per_m": "3.00",
        "hosting_per_hour": "0",
        "source": "OpenAI API pricing page; tuned models are billed per token, with no hosting fee",
    },
]


def forwards(apps, schema_editor):
    ModelPrice = apps.get_model("advisor", "ModelPrice")
    for row in PRICES:
        ModelPrice.objects.get_or_create(model=row["model"], defaults={**row, "as_of": AS_OF})


class Migration(migrations.Migration):
    dependencies = [("advisor", "0005_price_table")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
