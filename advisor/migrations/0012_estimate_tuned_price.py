# Cost model 2026.12.1: an estimate may tune another model than its base one (distillation), and
# a price row may have a cached-input price (empty: the input price applies, no discount
# assumed, as for the rows already in the table).

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("advisor", "0009_completed_by_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="estimate",
            name="tuned_price",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="advisor.modelprice",
            ),
        ),
        migrations.AddField(
            model_name="modelprice",
            name="cached_input_per_m",
            field=models.DecimalField(
                blank=True,
                decimal_places=4,
                help_text="The price of a cached prompt prefix; empty: the input price applies.",
                null=True,
                max_digits=12,
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(10000),
                ],
                verbose_name="cached input, per million tokens",
            ),
        ),
    ]
