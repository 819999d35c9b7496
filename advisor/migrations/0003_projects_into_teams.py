"""Give every existing account a personal team, and every existing project a team.

Before teams, every signed-in user could see and change every project. To keep exactly that,
existing projects move into one team, "Everyone (before teams)", which every existing user
joins as an editor; superusers (or, when there are none, the author of the oldest project)
join as owners so someone can manage it. Nothing is deleted or renamed.
"""

from django.conf import settings
from django.db import migrations

SHARED_TEAM_NAME = "Everyone (before teams)"


def forwards(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Team = apps.get_model("advisor", "Team")
    Membership = apps.get_model("advisor", "Membership")
    Project = apps.get_model("advisor", "Project")

    users = list(User.objects.order_by("pk"))
    for user in users:
        if not Membership.objects.filter(user=user).exists():
            # Short enough for a team name (120 characters), like the service's own.
            team = Team.objects.create(name=f"{user.username[:100]}'s team")
            Membership.objects.create(team=team, user=user, role="owner")

    projects = Project.objects.filter(team__isnull=True)
    if not projects.exists():
        return
    shared = Team.objects.create(name=SHARED_TEAM_NAME)
    owners = {user.pk for user in users if user.is_superuser}
    if not owners:
        oldest = projects.order_by("created_at", "pk").first()
        owners = {oldest.created_by_id}
    Membership.objects.bulk_create(
        Membership(team=shared, user=user, role="owner" if user.pk in owners else "editor")
        for user in users
    )
    projects.update(team=shared)


class Migration(migrations.Migration):
    dependencies = [("advisor", "0002_teams_sharing_audit")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
