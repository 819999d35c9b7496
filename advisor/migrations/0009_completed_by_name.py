"""Who completed each decision, as a column; filled for past decisions from the audit trail."""

from django.db import migrations, models


def names_from_the_audit_trail(apps, schema_editor):
    Decision = apps.get_model("advisor", "Decision")
    AuditEvent = apps.get_model("advisor", "AuditEvent")
    completions = AuditEvent.objects.filter(
        action="decision_completed", decision__isnull=False
    ).values_list("decision_id", "actor_name")
    for decision_id, name in completions.iterator():
        Decision.objects.filter(pk=decision_id).update(completed_by_name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("advisor", "0008_review_lifecycle"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="completed_by_name",
            field=models.CharField(blank=True, db_default="", default="", max_length=150),
        ),
        migrations.RunPython(names_from_the_audit_trail, migrations.RunPython.noop),
    ]
