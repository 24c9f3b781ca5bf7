from django.core.management.base import BaseCommand

from certificates import demo as certificates_demo
from courses import demo as courses_demo
from evaluation import demo as evaluation_demo
from lms import demo
from lms.mfa import totp_code


class Command(BaseCommand):
    help = "Load the demo data (safe to run again) and print the demo logins."

    def handle(self, *args, **options):
        logins = demo.seed()
        courses_demo.seed()
        certificates_demo.seed()
        evaluation_demo.seed()
        if options["verbosity"] == 0:
            return
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in at /accounts/login/ as:"))
        for email, role in logins:
            self.stdout.write(f"  {role.label:<14} {email:<28} password: {demo.DEMO_PASSWORD}")
            if secret := demo.DEMO_TOTP_SECRETS.get(email):
                self.stdout.write(f"  {'':<14} two-factor code: add {secret} to an authenticator app "
                                  f"(it shows {totp_code(secret)} now, a new code every 30 seconds)")  # fmt: skip
