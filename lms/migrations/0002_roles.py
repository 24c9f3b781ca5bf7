"""Create the four roles as groups, with the model permissions each needs."""

from django.db import migrations

from lms.permissions import grant_model_permissions

ROLES = ["Participant", "Trainer", "Focal point", "Administrator"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    grant_model_permissions(apps, "Administrator", "lms", ["user", "institution", "region", "outgoingemail"])


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
