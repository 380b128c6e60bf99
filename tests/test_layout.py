"""The layout of the code: slices mirrored across services/, schema/ and tests/, a docstring on
every package, the formatter over all code, a reason on every `type: ignore`, and schema modules
that import in any order (mutually recursive types reach each other through lazy annotations
and module imports, never through function-local imports: ruff's PLC0415 checks that)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CODE = ("graph", "services", "schema", "tests")
# The domain slices: each is a package of services/ and of schema/, and has its API tests.
SLICES = ("access", "history", "org", "planning", "work", "analysis", "refinement")


def _python_files() -> list[Path]:
    return sorted(p for top in CODE for p in (REPO / top).rglob("*.py"))


def _packages() -> list[Path]:
    found = set()
    for top in CODE:
        for path in (REPO / top).rglob("*.py"):
            if "migrations" not in path.parts:
                found.add(path.parent)
    return sorted(found)


def test_slices_are_mirrored() -> None:
    for name in SLICES:
        assert (REPO / "services" / name / "__init__.py").is_file(), f"services/{name}"
        assert (REPO / "schema" / name / "__init__.py").is_file(), f"schema/{name}"
        assert (REPO / "tests" / "schema" / name / "__init__.py").is_file(), f"tests/schema/{name}"


@pytest.mark.parametrize("package", _packages(), ids=lambda p: str(p.relative_to(REPO)))
def test_every_package_says_in_one_line_what_lives_there(package: Path) -> None:
    init = package / "__init__.py"
    assert init.is_file(), f"{package.relative_to(REPO)} has no __init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text()))
    assert doc, f"{init.relative_to(REPO)} has no docstring"
    summary = doc.split("\n\n")[0]
    assert "\n" not in summary, f"{init.relative_to(REPO)}: the first line says it all"


def test_the_formatter_covers_all_code() -> None:
    marker = re.compile(r"#\s*fmt:\s*(skip|off)\b")
    skipped = [
        f"{path.relative_to(REPO)}:{number}"
        for path in _python_files()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if marker.search(line)
    ]
    assert skipped == []


def test_every_type_ignore_says_why() -> None:
    ignore = re.compile(r"#\s*type:\s*ignore(\[[^\]]*\])?(?P<rest>.*)$")
    unexplained = []
    for path in _python_files():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            found = ignore.search(line)
            if found and not re.match(r"\s+#\s*\S", found.group("rest")):
                unexplained.append(f"{path.relative_to(REPO)}:{number}")
    assert unexplained == []


def _schema_modules() -> list[str]:
    modules = []
    for path in sorted((REPO / "schema").rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        modules.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return modules


IMPORT_EACH_FIRST = """
import importlib, sys
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "schema" or m.startswith("schema.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed.append(f"{name}: {type(exc).__name__}: {exc}")
print("\\n".join(failed))
"""


def test_each_schema_module_imports_first() -> None:
    """Whichever schema module a process imports first, the import works: a cycle between
    slices that only works in one order would fail here."""
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EACH_FIRST, *_schema_modules()],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
        check=True,
    )
    assert result.stdout.strip() == ""
