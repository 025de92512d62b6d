"""The store sits below the stages: it imports value types from ``broadcast.model``, never a
stage package, so a stage can change without the database layer following it (and the web
workspace can use the store without loading TTS, ffmpeg or MT code)."""

from __future__ import annotations

import ast
from pathlib import Path

import broadcast

PACKAGE = Path(broadcast.__file__).parent
# Single-file modules at the top of the package that sit below every stage.
# (errorlog is not one: it reads the workspace settings through the store.)
BASE_MODULES = {"errors", "languages", "safeparse", "csvsafe", "lifecycle"}
ALLOWED_PACKAGES = {"model", "store"}


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every ``broadcast...`` module a file imports, at the top or inside a function."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("broadcast")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "broadcast":
                found += [
                    (node.lineno, f"broadcast.{a.name}")
                    for a in node.names
                    if not a.name.startswith("__")  # __version__
                ]
            elif node.module.startswith("broadcast."):
                found.append((node.lineno, node.module))
    return found


def _allowed(module: str) -> bool:
    parts = module.split(".")
    if len(parts) < 2:
        return False
    return parts[1] in ALLOWED_PACKAGES or (len(parts) == 2 and parts[1] in BASE_MODULES)


def _offences(files: list[Path]) -> list[str]:
    return [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}"
        for path in files
        for line, module in _imports(path)
        if not _allowed(module)
    ]


def test_store_imports_no_stage_package() -> None:
    files = sorted((PACKAGE / "store").glob("*.py"))
    assert len(files) > 10  # the walk found the store
    assert _offences(files) == []


def test_model_and_base_modules_import_only_below_themselves() -> None:
    """What the store may import must not lead back up to a stage either."""
    files = sorted((PACKAGE / "model").glob("*.py"))
    files += [PACKAGE / f"{name}.py" for name in sorted(BASE_MODULES)]
    assert all(path.is_file() for path in files)
    offences = _offences(files)
    offences += [
        f"{path.name} imports the store"
        for path in files
        for _, module in _imports(path)
        if module.startswith("broadcast.store")
    ]
    assert offences == []


def test_the_check_sees_a_stage_import(tmp_path: Path) -> None:
    """The walk catches imports inside functions, not only at the top of a module."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from broadcast.model.script import Script\n"
        "def f():\n    from broadcast.review import gate\n    import broadcast.voice.tts\n",
        encoding="utf-8",
    )
    assert [m for _, m in _imports(sample) if not _allowed(m)] == [
        "broadcast.review",
        "broadcast.voice.tts",
    ]


def test_every_package_is_listed_for_the_wheel() -> None:
    """pyproject lists packages by hand: a new stage package missing there would work in the
    editable install of the tests and be absent from a built wheel."""
    import tomllib

    root = Path(__file__).resolve().parents[1]
    listed = set(
        tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(p.parent.relative_to(root).parts)
        for p in (root / "broadcast").rglob("__init__.py")
        if "shipped" not in p.parts
    }
    assert found - listed == set()
