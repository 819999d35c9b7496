# An outcome's metric may point to the decision's pilot metric it measures.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("advisor", "0012_refine_answers")]

    operations = [
        migrations.AddField(
            model_name="outcomemetric",
            name="pilot_key",
            field=models.CharField(blank=True, db_default="", default="", max_length=32),
        ),
    ]
