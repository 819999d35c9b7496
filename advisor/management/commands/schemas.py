"""Write the published JSON Schemas (advisor.domain.schemas) to docs/schemas/, one file each.

Run it (or `make schemas`) after changing a model of the export or of the API, and commit the
files; tests/test_schemas.py fails while they differ from what the code generates. `--check`
only compares, and exits 1 when a file is out of date.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from advisor.domain.schemas import SCHEMAS, schema_text


def schema_path(name: str) -> Path:
    return Path(settings.BASE_DIR) / "docs" / "schemas" / f"{name}.schema.json"


class Command(BaseCommand):
    help = "Write the JSON Schemas of the export and the API to docs/schemas/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Only report the files that are out of date."
        )

    def handle(self, *args, check: bool, **options) -> None:
        stale = [name for name in SCHEMAS if _read(schema_path(name)) != schema_text(name)]
        if check:
            if stale:
                raise CommandError(f"Out of date (run `make schemas`): {', '.join(stale)}.")
            self.stdout.write("The schemas in docs/schemas/ are up to date.")
            return
        for name in stale:
            path = schema_path(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(schema_text(name), encoding="utf-8")
            self.stdout.write(f"Wrote {path.relative_to(settings.BASE_DIR)}")
        if not stale:
            self.stdout.write("The schemas in docs/schemas/ are up to date.")


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None
