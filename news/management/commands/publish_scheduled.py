from django.core.management.base import BaseCommand

from core.notifications import announce_due, announced_models


class Command(BaseCommand):
    help = (
        "Announce articles and documents whose scheduled publication time has come (e-mail "
        "the author). Visibility itself needs no cron; running twice announces nothing twice."
    )

    def handle(self, *args, **options):
        for model in announced_models():
            count = announce_due(model)
            self.stdout.write(f"{count} {model._meta.model_name}(s) announced.")
