from django.db import migrations, models


class Migration(migrations.Migration):
    """Whether a share link shows the cost figures. The column's database default is True, so
    the links that exist keep showing them, and so do links the previous release inserts
    while this one deploys; the app writes False unless the editor ticks the box."""

    dependencies = [
        ('advisor', '0017_team_require_two_factor'),
    ]

    operations = [
        migrations.AddField(
            model_name='sharelink',
            name='include_costs',
            field=models.BooleanField(db_default=True, default=False),
        ),
    ]
