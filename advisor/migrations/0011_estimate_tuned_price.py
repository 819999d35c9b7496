# Cost model 2026.12.1: an estimate may tune another model than its base one (distillation).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("advisor", "0010_price_rows"),
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
    ]
