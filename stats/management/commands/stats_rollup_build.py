from django.core.management.base import BaseCommand

from stats.rollup import rollup_build


class Command(BaseCommand):
    help = "Count the figures of completed events again for /stats/ (otherwise done after each change)."

    def handle(self, *args, **options):
        self.stdout.write(f"{rollup_build()} rows")
