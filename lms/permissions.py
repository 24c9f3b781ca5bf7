"""Helpers for data migrations that give roles their model permissions."""

from django.contrib.auth.management import create_permissions


def grant_model_permissions(apps, role, app_label, models=None):
    """Give the group `role` every permission on the models of `app_label` (or only `models`)."""
    # Permissions are normally created after all migrations ran; make sure these exist now.
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label=app_label)
    if models is not None:
        permissions = permissions.filter(content_type__model__in=models)
    Group.objects.get_or_create(name=role)[0].permissions.add(*permissions)
