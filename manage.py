#!/usr/bin/env python
"""Django's command-line utility for the Compact Platform."""

import sys

from core import bootstrap

# Commands that never touch the database do not start the embedded PostgreSQL.
NO_DATABASE_COMMANDS = {"help", "version", "--help", "-h", "--version", "compilemessages", "collectstatic"}


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    bootstrap.run(start_database=command not in NO_DATABASE_COMMANDS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
