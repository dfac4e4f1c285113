from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory import reference


class Command(BaseCommand):
    help = (
        "Load the Compact's reference data (entities, Member States, regional organisations, pillars, "
        "Working Groups and their participation) from its data file. Idempotent; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=reference.DEFAULT_PATH, help="the data file to load")

    def handle(self, *args, file: Path, **options):
        try:
            report = reference.load(file)
        except reference.ReferenceDataError as exc:
            raise CommandError(f"{exc} — nothing was changed") from None
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Loaded {file}"))
