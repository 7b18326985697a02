from django.core.management.base import BaseCommand

from portal.roles import ROLE_PERMISSIONS, sync_roles


class Command(BaseCommand):
    help = "Create the newsroom groups and give them exactly their permissions (idempotent)."

    def handle(self, *args, **options):
        sync_roles()
        for name, permissions in ROLE_PERMISSIONS.items():
            self.stdout.write(f"{name}: {len(permissions)} permissions")
