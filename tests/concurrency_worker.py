"""One of several processes working on one workspace at once (tests/test_concurrency.py).

Run as a script: ``python concurrency_worker.py ROLE NAME ROOT SCRIPT_ID SECONDS SEED OUT``.
Until SECONDS have passed it keeps doing its ROLE through the real domain functions (a new
connection per step, as a CLI run would open one) and writes what it did to OUT as JSON:

* ``edit``: an editor saves a new text for a random segment of the blt translation
  (``workflow.save_edits``); each accepted edit is listed, a clean refusal counted.
* ``approve``: a reviewer approves a random segment (``workflow.approve``, QA included).
* ``cli``: runs the ``broadcast`` commands given after OUT (separated by ``--``) in turn,
  again and again, recording each run's exit code and output.

Target strings are OBVIOUSLY SYNTHETIC ("‹blt› XX …"): nothing here is Thái or Mông.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path

from review_fixtures import synthetic_target

from broadcast.errors import BroadcastError
from broadcast.review import workflow
from broadcast.store import translations as tstore
from broadcast.store.workspace import find_workspace

LANGUAGE = "blt"


def tag(name: str, n: int) -> str:
    """A unique, letters-only mark (QA refuses numbers the source does not have)."""
    letters = ""
    while True:
        letters = chr(ord("a") + n % 26) + letters
        n //= 26
        if n == 0:
            break
    return f"{name}{letters}"


def edited_text(position: int, mark: str) -> str:
    base = synthetic_target(position, LANGUAGE)
    return f"{base[:-1]} {mark}." if base.endswith(".") else f"{base} {mark}"


def edit(name: str, root: Path, script_id: int, until: float, rng: random.Random) -> dict:
    ws = find_workspace(root)
    accepted: list[dict[str, object]] = []
    refused: list[str] = []
    n = 0
    while time.monotonic() < until:
        with ws.open_db() as db:
            translation = tstore.load_translation(db, script_id, LANGUAGE)
            position = rng.choice([s.position for s in translation.segments])
            text = edited_text(position, tag(name, n))
            n += 1
            try:
                changed = workflow.save_edits(db, translation, {position: text}, actor=name)
            except BroadcastError as exc:
                refused.append(exc.message)
                continue
        if changed == [position]:
            accepted.append({"position": position, "text": text})
        time.sleep(rng.uniform(0, 0.02))
    return {"accepted": accepted, "refused": refused}


def approve(name: str, root: Path, script_id: int, until: float, rng: random.Random) -> dict:
    ws = find_workspace(root)
    accepted: list[dict[str, object]] = []
    refused: list[str] = []
    while time.monotonic() < until:
        with ws.open_db() as db:
            translation = tstore.load_translation(db, script_id, LANGUAGE)
            position = rng.choice([s.position for s in translation.segments])
            try:
                outcome = workflow.approve(
                    db, script_id, LANGUAGE, [position], by=name, role="reviewer"
                )
            except BroadcastError as exc:
                refused.append(exc.message)
                continue
        accepted += [{"position": p} for p in outcome.approved]
        time.sleep(rng.uniform(0, 0.02))
    return {"accepted": accepted, "refused": refused}


def cli(root: Path, until: float, commands: list[list[str]]) -> dict:
    runs: list[dict[str, object]] = []
    while time.monotonic() < until:
        for command in commands:
            done = subprocess.run(
                [sys.executable, "-m", "broadcast", "-w", str(root), *command],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            runs.append(
                {
                    "command": command,
                    "code": done.returncode,
                    "stdout": done.stdout,
                    "stderr": done.stderr,
                }
            )
    return {"runs": runs}


def main(argv: list[str]) -> None:
    role, name, root, script_id, seconds, seed, out = argv[:7]
    until = time.monotonic() + float(seconds)
    rng = random.Random(int(seed))
    if role == "edit":
        result = edit(name, Path(root), int(script_id), until, rng)
    elif role == "approve":
        result = approve(name, Path(root), int(script_id), until, rng)
    elif role == "cli":
        commands: list[list[str]] = [[]]
        for word in argv[7:]:
            if word == "--":
                commands.append([])
            else:
                commands[-1].append(word)
        result = cli(Path(root), until, [c for c in commands if c])
    else:
        raise SystemExit(f"unknown role {role}")
    Path(out).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
