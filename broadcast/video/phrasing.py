"""Where a long sentence may be cut into subtitle screens without hurting the reading.

A viewer reads "Mời bà / con nghe" as two wrong words: Vietnamese compounds ("bà con",
"chuyên mục", "cải cách") are several space-separated syllables, so a cut chosen by length
alone often lands inside one. Cuts are therefore scored: after a full stop or semicolon is
best, after a comma good, inside a compound (found by pyvi's word segmentation) bad, and
among equals the most even lengths win.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

_STRONG_END = re.compile(r"[.;!?…:]['\"”»)]*$")
_WEAK_END = re.compile(r"[,–—]['\"”»)]*$")
_LETTERS = re.compile(r"\w+")

STRONG_BONUS = 3.0
WEAK_BONUS = 1.5
COMPOUND_PENALTY = 4.0


def compound_gaps(words: list[str]) -> set[int]:
    return set(_compound_gaps(tuple(words)))


@lru_cache(maxsize=4096)
def _compound_gaps(words: tuple[str, ...]) -> frozenset[int]:
    """Gaps (index of the word after the gap) that fall inside a pyvi compound word.

    pyvi joins a compound's syllables with "_" and splits punctuation off, so its tokens are
    matched against ours letter by letter; where they disagree we give up (no gaps) rather
    than guess.
    """
    from broadcast.script.pyvi_models import tokenize

    owner: list[int] = []  # for every letter of the sentence, the index of its word
    stream: list[str] = []
    for index, word in enumerate(words):
        letters = "".join(_LETTERS.findall(word.lower()))
        stream.extend(letters)
        owner.extend([index] * len(letters))
    text = "".join(stream)
    inside: set[int] = set()
    at = 0
    for token in tokenize(" ".join(words)).split(" "):
        letters = "".join(_LETTERS.findall(token.lower().replace("_", " ")))
        if not letters:
            continue
        if text[at : at + len(letters)] != letters:
            return frozenset()
        if "_" in token:
            inside.update(range(owner[at] + 1, owner[at + len(letters) - 1] + 1))
        at += len(letters)
    return frozenset(inside)


def gap_costs(words: list[str]) -> list[float]:
    """Cost of cutting before word ``i`` (index 0 unused): lower is a better place."""
    try:
        inside = compound_gaps(words)
    except Exception:  # segmentation is a nicety; a failure must not stop a render
        inside = set()
    costs = [0.0] * len(words)
    for i in range(1, len(words)):
        previous = words[i - 1]
        if _STRONG_END.search(previous):
            costs[i] -= STRONG_BONUS
        elif _WEAK_END.search(previous):
            costs[i] -= WEAK_BONUS
        if i in inside:
            costs[i] += COMPOUND_PENALTY
    return costs


def best_cuts(words: list[str], count: int, fits: Callable[[str], bool]) -> list[str] | None:
    """``words`` in ``count`` parts that each ``fits``, at the cheapest cuts; None if none.

    Dynamic programming over cut positions: cost = gap costs + squared deviation of each
    part's length from the even share (so balance still matters among equal gaps).
    """
    n = len(words)
    if count <= 1 or n < count:
        return None
    costs = gap_costs(words)
    lengths = [0]
    for word in words:
        lengths.append(lengths[-1] + len(word) + 1)
    ideal = lengths[-1] / count
    fit_cache: dict[tuple[int, int], bool] = {}

    def part_fits(i: int, j: int) -> bool:
        if (i, j) not in fit_cache:
            fit_cache[(i, j)] = fits(" ".join(words[i:j]))
        return fit_cache[(i, j)]

    def balance(i: int, j: int) -> float:
        return 2.0 * ((lengths[j] - lengths[i] - ideal) / ideal) ** 2

    inf = float("inf")
    # best[k][j]: cheapest way to cut words[:j] into k parts; back[k][j]: where part k starts
    best = [[inf] * (n + 1) for _ in range(count + 1)]
    back = [[0] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    for k in range(1, count + 1):
        for j in range(k, n + 1):
            for i in range(k - 1, j):
                if best[k - 1][i] == inf or not part_fits(i, j):
                    continue
                cost = best[k - 1][i] + balance(i, j) + (costs[i] if i else 0.0)
                if cost < best[k][j]:
                    best[k][j], back[k][j] = cost, i
    if best[count][n] == inf:
        return None
    parts: list[str] = []
    j = n
    for k in range(count, 0, -1):
        i = back[k][j]
        parts.append(" ".join(words[i:j]))
        j = i
    return parts[::-1]
