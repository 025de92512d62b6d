"""Benchmark: is the one-minute script fit to air? Counts over the seeds and example articles.

For each article (``../shared/seeds/*.txt`` and ``examples/articles/*``) the script that
``produce`` would voice is built at one minute (``--minutes``), and counted:

* ``>40 syll``: body sentences over 40 spoken syllables (a breath too long);
* ``splits``: article sentences the script cut into several radio sentences;
* ``title cut``: headline different from the article's title (shortened);
* ``anaphora``: chosen sentences that refer back to a sentence not chosen;
* ``enum``: chosen sentences announcing a list whose items were not chosen;
* ``1st pers``: chosen sentences in the reporter's first person;
* ``acronyms``: distinct acronyms the spoken form had to read letter by letter (the first
  three are named), from ``broadcast.script.spoken.read_aloud``.

The anaphora, enumeration and first-person rows must be zero. Nothing is asserted.

    .venv/bin/python bench/script_quality.py [--minutes 1]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from broadcast.errors import BroadcastError  # noqa: E402
from broadcast.script.build import build_script, prepare_body  # noqa: E402
from broadcast.script.coherence import (  # noqa: E402
    announced_items,
    first_person,
    needs_antecedent,
)
from broadcast.script.glossary import load_glossary  # noqa: E402
from broadcast.script.model import Role  # noqa: E402
from broadcast.script.segment import syllables  # noqa: E402
from broadcast.script.spoken import read_aloud  # noqa: E402
from broadcast.store.station import Station  # noqa: E402
from broadcast.text.ingest import read_article  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLES = ROOT / "examples" / "articles"
STATION = Station(name="Đài truyền thanh xã Mường La", commune="Mường La", province="Sơn La")
COLUMNS = ("file", ">40 syll", "splits", "title cut", "anaphora", "enum", "1st pers", "acronyms")


def articles() -> list[Path]:
    seeds = sorted(p for p in SEEDS.glob("*.txt"))
    examples = sorted(p for p in EXAMPLES.iterdir() if p.name != "README.md")
    return seeds + examples


def measure(path: Path, minutes: float) -> list[str]:
    glossary = load_glossary()
    try:
        article = read_article(path)
        script = build_script(article, STATION, minutes, glossary)
        units = prepare_body(article, STATION, glossary)
    except BroadcastError as error:
        return [path.name, "refused: " + str(error)[:40]] + [""] * (len(COLUMNS) - 2)
    body = [s for s in script.sentences if s.role is Role.BODY]
    headline = next(s for s in script.sentences if s.role is Role.HEADLINE)
    # The units build_script chose: those whose radio sentences are in the script body.
    body_texts = {s.written for s in body}
    chosen = [u.index for u in units if u.parts and u.parts[0].written in body_texts]
    chosen_set = set(chosen)
    texts = [u.written for u in units]
    anaphora = sum(
        1 for i in chosen if i > 0 and needs_antecedent(texts[i]) and i - 1 not in chosen_set
    )
    enum = sum(
        1
        for i in chosen
        if (n := announced_items(texts[i])) and not set(range(i + 1, i + 1 + n)) <= chosen_set
    )
    first = sum(1 for i in chosen if first_person(texts[i]))
    # Acronyms the spoken-form stage had to spell letter by letter, counted once per script.
    spelled = {abbr for s in script.sentences for abbr in read_aloud(s.written, glossary).spelled}
    return [
        path.name,
        str(sum(1 for s in body if syllables(s.spoken) > 40)),
        str(sum(1 for i in chosen if len(units[i].parts) > 1)),
        str(int(headline.written.rstrip(".") != article.title.rstrip("."))),
        str(anaphora),
        str(enum),
        str(first),
        str(len(spelled)) + (f" ({', '.join(sorted(spelled)[:3])})" if spelled else ""),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=1.0)
    args = parser.parse_args()
    rows = [measure(path, args.minutes) for path in articles()]
    widths = [max(len(c), *(len(r[k]) for r in rows)) for k, c in enumerate(COLUMNS)]
    print("  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True)))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
