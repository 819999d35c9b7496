"""Each class name in advisor/ means one thing, so a reader (or an import) never picks the wrong
`Estimate`: the saved row and the domain's figures, for instance, have names of their own."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import advisor

# Django's conventions: one per management command, migration and model.
CONVENTIONAL = {"Command", "Migration", "Meta"}


def test_no_top_level_class_name_is_defined_twice():
    root = Path(advisor.__file__).parent
    where: dict[str, list[str]] = defaultdict(list)
    for path in sorted(root.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and node.name not in CONVENTIONAL:
                where[node.name].append(str(path.relative_to(root)))
    assert {name: paths for name, paths in where.items() if len(paths) > 1} == {}
