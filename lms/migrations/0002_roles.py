"""Create the four roles as groups, with the model permissions each needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["Participant", "Trainer", "Focal point", "Administrator"]
ADMINISTRATOR_MODELS = ["user", "institution", "region", "outgoingemail"]


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure ours exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    administrator = Group.objects.get(name="Administrator")
    administrator.permissions.add(
        *Permission.objects.filter(content_type__app_label="lms", content_type__model__in=ADMINISTRATOR_MODELS)
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
