from django.db import migrations

from lms.permissions import grant_model_permissions


def grant(apps, schema_editor):
    grant_model_permissions(apps, "Administrator", "courses", ["attendance", "checkincode", "annualtarget"])


class Migration(migrations.Migration):
    dependencies = [("courses", "0004_attendance")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
