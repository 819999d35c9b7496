"""Load a price file into the price table: `manage.py load_prices advisor/data/prices.json`.

The file is checked whole first; a malformed one (not JSON, a wrong type, a negative price, a
bad date, a NUL byte, two defaults) stops the command with every fault named by row and field,
and nothing is written. docs/cost-model.md ("Price table") describes the file.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from advisor import services
from advisor.domain.schemas import InvalidPriceFile


class Command(BaseCommand):
    help = "Check a price file and add or update the price table's rows from it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", type=Path, help="The price file, e.g. advisor/data/prices.json."
        )

    def handle(self, *args, file: Path, **options) -> None:
        try:
            loaded = services.prices_load_file(path=file, today=timezone.localdate())
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from error
        except InvalidPriceFile as error:
            faults = "\n".join(f"- {message}" for message in error.messages)
            raise CommandError(f"{file} was not loaded; nothing changed:\n{faults}") from error
        self.stdout.write(loaded.summary())
        for label, names in (
            ("Added", loaded.added),
            ("Updated", loaded.updated),
            ("Left alone (newer in the table)", loaded.kept),
            ("Retired", loaded.retired),
        ):
            if names:
                self.stdout.write(f"{label}: {'; '.join(names)}.")
