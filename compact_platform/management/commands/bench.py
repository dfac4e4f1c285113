import warnings
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from compact_platform import benchmarking
from compact_platform.gather import app_modules
from core.benchmarking import Scale

BENCH_DATABASE = "compact_bench"


class Command(BaseCommand):
    help = (
        "Time the platform's pages on a scale data set (kept in its own database, compact_bench, and "
        "reused by later runs) and write the table to docs/benchmarks.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30, help="timed requests per page (default 30)")
        parser.add_argument("--users", type=int, default=Scale.users, help="users in the data set")
        parser.add_argument(
            "--organizations",
            type=int,
            default=Scale.organizations,
            help="active organisations in the data set (the reference data's, then synthetic ones)",
        )
        parser.add_argument(
            "--notices",
            default=",".join(str(n) for n in Scale.notices),
            help="comma-separated sizes the notices list is timed at (default 100000,1000000)",
        )
        parser.add_argument("--resources", type=int, default=Scale.resources, help="library resources")
        parser.add_argument("--events", type=int, default=Scale.events, help="calendar events")
        parser.add_argument("--projects", type=int, default=Scale.projects, help="projects of the matrix")
        parser.add_argument(
            "--appeal-projects", type=int, default=Scale.appeal_projects, help="appeal projects (the Appeal)"
        )
        parser.add_argument("--flows", type=int, default=Scale.flows, help="entries of the Appeal's ledger")
        parser.add_argument(
            "--recommendations", type=int, default=Scale.recommendations, help="CTED's recommendations"
        )
        parser.add_argument(
            "--import-rows", type=int, default=Scale.import_rows, help="rows of the projects' timed import"
        )
        parser.add_argument("--only", default="", help="time only the pages whose name contains this text")
        parser.add_argument(
            "--database-name", default=BENCH_DATABASE, help="the bench database (kept between runs)"
        )
        parser.add_argument(
            "--output", type=Path, default=settings.BASE_DIR / "docs" / "benchmarks.md", help="report file"
        )

    def handle(
        self,
        *args,
        runs,
        users,
        organizations,
        notices,
        resources,
        events,
        projects,
        appeal_projects,
        flows,
        recommendations,
        import_rows,
        only,
        database_name,
        output: Path,
        **options,
    ):
        try:
            sizes = tuple(sorted(int(size) for size in notices.split(",") if size.strip()))
        except ValueError:
            raise CommandError(
                f"--notices must be whole numbers separated by commas, not {notices!r}"
            ) from None
        scale = Scale(
            users=users, organizations=organizations, notices=sizes, resources=resources, events=events,
            projects=projects, appeal_projects=appeal_projects, flows=flows, recommendations=recommendations,
            import_rows=import_rows,
        )  # fmt: skip
        self.use_bench_database(database_name)
        modules = list(app_modules("bench"))
        for module in modules:
            if hasattr(module, "generate"):
                module.generate(scale, self.stdout.write)
        # WhiteNoise notes that collectstatic has not run: irrelevant to timing pages.
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        timings = []
        self.stdout.write(f"{'page or query':60} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        # Production-like: no debug cursor or debug templates; the test client's host is allowed. The public
        # pages are timed as rendered (a visitor mostly gets the cached copy: core.public_pages), and their
        # per-address rate limit would refuse the bench's own requests.
        unlimited = {**settings.ACCOUNT_RATE_LIMITS, "public_pages": ""}
        with override_settings(
            DEBUG=False, ALLOWED_HOSTS=["testserver"], PUBLIC_PAGE_SECONDS=0, ACCOUNT_RATE_LIMITS=unlimited
        ):
            for module in modules:
                if not hasattr(module, "measurements"):
                    continue
                for item in module.measurements(scale, self.stdout.write):
                    if only not in item.name:
                        continue
                    t = benchmarking.measure(item, runs)
                    timings.append(t)
                    self.stdout.write(f"{t.page.name:60} {t.median_ms:10.1f} {t.p95_ms:8.1f} {t.queries:8d}")
        report = benchmarking.markdown(
            timings,
            scale=scale,
            when=timezone.now().strftime("%Y-%m-%d %H:%M UTC"),
            where=benchmarking.machine(),
            only=only,
            previous=output.read_text(encoding="utf-8") if only and output.exists() else "",
        )
        output.write_text(report, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))

    def use_bench_database(self, name: str) -> None:
        """Switch to the bench database, creating and migrating it on first use, never touching real data."""
        connection.settings_dict["TEST"]["NAME"] = name
        connection.creation.create_test_db(verbosity=0, autoclobber=False, serialize=False, keepdb=True)
        self.stdout.write(f"Using the {name} database")
