from django.core.management.base import BaseCommand

from news.notifications import announce_due


class Command(BaseCommand):
    help = (
        "Announce articles whose scheduled publication time has come (e-mail the author). "
        "Visibility itself needs no cron; running twice announces nothing twice."
    )

    def handle(self, *args, **options):
        count = announce_due()
        self.stdout.write(f"{count} article(s) announced.")
