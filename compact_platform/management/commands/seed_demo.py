from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from compact_platform.gather import app_modules
from core.demo import DemoRun


class Command(BaseCommand):
    help = (
        "Create demo accounts (one per role) and demo content, on top of the Compact's reference data. "
        "Idempotent: running it again updates the demo records instead of duplicating them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default="compact-demo-2026",
            help="password given to every demo account (default: compact-demo-2026)",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="seed even though DEBUG is off (demo accounts with a known password on a real server)",
        )

    def handle(self, *args, password: str, allow_production: bool, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "refusing to create demo accounts with a known password while DEBUG is off; "
                "pass --allow-production if this really is a demonstration server"
            )
        call_command("load_compact", stdout=self.stdout)
        run = DemoRun(password=password, write=self.stdout.write)
        with transaction.atomic():
            for module in app_modules("demo"):
                if hasattr(module, "seed"):
                    module.seed(run)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in with any of these accounts:"))
        width = max(len(role) for role, _ in run.logins)
        for role, email in run.logins:
            self.stdout.write(f"  {role.ljust(width)}  {email}")
        self.stdout.write(f"  password for all of them: {password}")
        if settings.MFA_REQUIRED:
            self.stdout.write(
                "  two-factor authentication is required: each account enrols an authenticator app "
                "at its first sign-in"
            )
        else:
            self.stdout.write(
                "  two-factor authentication is relaxed for this demonstration (MFA_REQUIRED=false)"
            )
