"""The refine step: its answers are Answer rows under their own keys, and the snapshot keeps
them with the plan, the pilot's metrics and the confidence (null in older snapshots)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("advisor", "0011_estimate_tuned_price"),
    ]

    operations = [
        migrations.AlterField(
            model_name="answer",
            name="question",
            field=models.CharField(
                choices=[
                    ("problem", "Knowledge or behaviour"),
                    ("data_change", "How often the data changes"),
                    ("latency", "Latency tolerance"),
                    ("cost", "Cost constraints"),
                    ("labeled_data", "Labelled training data"),
                    ("eval_set", "Evaluation set"),
                    ("corpus_tokens", "Size of the documents"),
                    ("behaviour_change", "How often the wanted behaviour changes"),
                    ("citations_required", "Citations"),
                    ("data_policy", "Where the data may go"),
                ],
                max_length=32,
            ),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="refine",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="plan",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="pilot_metrics",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="confidence",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
