"""What both start-up benches do first: give our package the bytecode an installed copy has.

Run as scripts, ``bench/produce.py`` and ``bench/startup.py`` find this module beside them.
"""

from __future__ import annotations

from pathlib import Path


def compile_package() -> None:
    """Bytecode for our own package, as ``pip install .`` writes it at install time.

    An editable install has none, and this machine's shell sets PYTHONDONTWRITEBYTECODE, so
    without this every run here compiles each module it imports again (about 0.3 s on a
    warm produce), a cost no installed copy on a station's PC pays after its first run."""
    import compileall

    import broadcast

    compileall.compile_dir(str(Path(broadcast.__file__).parent), quiet=1)
