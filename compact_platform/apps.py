from django.apps import AppConfig


class CompactPlatformConfig(AppConfig):
    """The project itself: holds the project-wide commands (seed_demo, bench) that gather each app's part."""

    name = "compact_platform"
    verbose_name = "Compact Platform"
