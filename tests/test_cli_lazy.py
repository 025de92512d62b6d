"""Running one command imports one command module (broadcast/cli/__init__.py COMMAND_HOMES).

The table is kept by hand, so it is checked here against what each module declares; and a
real ``broadcast normalize`` in a fresh interpreter must not have imported the scheduler, the
reports, the web server or the renderers.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

from helpers import run

from broadcast.cli import COMMAND_HOMES


def test_every_command_lives_where_the_table_says() -> None:
    declared = {}
    for home in sorted(set(COMMAND_HOMES.values())):
        for command in importlib.import_module(f"broadcast.cli.{home}").COMMANDS:
            declared[command.name] = home
    assert declared == COMMAND_HOMES


def loaded_after(args: list[str]) -> tuple[str, set[str]]:
    """stdout of ``broadcast ARGS`` run in a fresh interpreter, and the broadcast modules it
    imported."""
    probe = (
        "import sys\n"
        "from broadcast.cli import cli\n"
        "try:\n"
        f"    cli({args!r}, prog_name='broadcast')\n"
        "except SystemExit:\n"
        "    pass\n"
        "import json\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('broadcast'))), "
        "file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    return proc.stdout, set(json.loads(proc.stderr.strip().splitlines()[-1]))


def test_normalize_imports_only_what_it_needs() -> None:
    out, loaded = loaded_after(["normalize", "UBND xã"])
    assert "Ủy ban nhân dân xã" in out
    assert "broadcast.cli.normalize" in loaded
    for heavy in (
        "broadcast.cli.schedule",
        "broadcast.schedule.campaign",
        "broadcast.web",
        "broadcast.cli.report",
        "broadcast.render.stages",
        "broadcast.cli.produce",
    ):
        assert heavy not in loaded, heavy


def test_help_lists_every_command_without_importing_one() -> None:
    out, loaded = loaded_after(["--help"])
    for name in COMMAND_HOMES:
        assert f"\n  {name} " in out, name
    assert not {m for m in loaded if m.startswith("broadcast.cli.")} - {
        "broadcast.cli.context",
        "broadcast.cli.usage",
    }


def test_help_still_lists_every_command_and_a_typo_is_one_clear_error() -> None:
    result = run("--help")
    for name in COMMAND_HOMES:
        assert f"\n  {name} " in result.output, name
    typo = run("nomalize", "x")
    assert typo.exit_code == 2
    assert "Không có lệnh 'nomalize'" in typo.stderr
