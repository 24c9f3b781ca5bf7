from django.db import migrations

from lms.permissions import grant_model_permissions


def grant(apps, schema_editor):
    grant_model_permissions(apps, "Administrator", "certificates")


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial"), ("lms", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
