from django.core.management.base import BaseCommand

from core.tasks import send_pending_jobs


class Command(BaseCommand):
    help = "Send again the background jobs kept while the broker (or an in-process job) failed."

    def handle(self, *args, **options):
        sent = send_pending_jobs()
        self.stdout.write(f"{sent} job(s) sent")
