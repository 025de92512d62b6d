"""The prefilter that keeps fuzzy memory lookups fast on 100,000 segments.

Scoring every stored segment with rapidfuzz costs time proportional to the memory (tens of
milliseconds at 100,000 segments, for every sentence of every draft). Instead an inverted
index of word tokens (Vietnamese syllables, casefolded) picks the segments sharing the most
informative words with the query (IDF-weighted overlap, summed with numpy), restricted to
the lengths that can still reach the minimum score (``fuzz.ratio`` is at most
``200·min(a,b)/(a+b)``), and only those few hundred are scored exactly. ``bench/tm.py``
measures the speed-up and how often the prefilter finds the brute-force best match.

The index lives in memory, built on first lookup and extended with new rows afterwards; it
is rebuilt when rows were deleted. Rows are read from the store, so a lookup never returns
a pair the database does not hold. A station's memory is two layers, each with its own
index: the province's pairs, one index per (database, language) shared by every station a
server process answers for, and the station's own, one per (database, station, language).
One index per station over the whole memory would hold the province's 100,000 pairs once
per station, and a server answering 75 stations would rebuild them at every turn (measured
by bench/province.py: 0.4 s per lookup at 20,000 pairs with five stations taking turns).
"""

from __future__ import annotations

import math
import string
from collections import OrderedDict
from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

from broadcast.store import tm as store
from broadcast.store.db import Database

_PUNCTUATION = string.punctuation + "“”‘’…–—«»‹›"
_CACHE_SIZE = 32  # the province's index per language, and the stations' own (small) ones
COMMON_SHARE = 0.05
"""A word in more than this share of the segments is too common to pick candidates by."""
MIN_INFORMATIVE = 3
_cache: OrderedDict[tuple[str, int, int, str], FuzzyIndex] = OrderedDict()


def tokens(folded: str) -> set[str]:
    """Words of casefolded text with punctuation trimmed ('xã,' -> 'xã'); split is twice as
    fast as a Unicode regex, which matters when 100,000 segments are indexed."""
    found = {word.strip(_PUNCTUATION) for word in folded.split()}
    found.discard("")
    return found


def length_window(length: int, min_score: float) -> tuple[float, float]:
    """Lengths b for which fuzz.ratio(a, b) can reach ``min_score`` when len(a) = length."""
    s = max(min(min_score, 100.0), 1.0)
    return length * s / (200.0 - s), length * (200.0 - s) / s


class FuzzyIndex:
    """Token postings over the sources of one language's memory, by row position.

    ``changes`` is the database's change count (``store.tm.change_count``) the index
    reflects; postings are numpy arrays, extended in one concatenation per token.
    """

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.sources: list[str] = []
        self.folded: list[str] = []  # casefolded sources: what fuzzy scores compare
        self.came_from: list[int] = []  # the station the pair came from (0: unknown)
        self.changes = 0
        self._lengths: NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self._postings: dict[str, NDArray[np.int32]] = {}

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def max_id(self) -> int:
        return self.ids[-1] if self.ids else 0

    def extend(self, rows: Iterable[tuple[int, str, int]]) -> None:
        new: dict[str, list[int]] = {}
        lengths: list[int] = []
        for row_id, source, came_from in rows:
            position = len(self.ids)
            self.ids.append(row_id)
            self.came_from.append(came_from)
            folded = source.casefold()
            self.sources.append(source)
            self.folded.append(folded)
            lengths.append(len(folded))
            for token in tokens(folded):
                new.setdefault(token, []).append(position)
        if not lengths:
            return
        self._lengths = np.concatenate([self._lengths, np.asarray(lengths, dtype=np.int32)])
        for token, positions in new.items():
            added = np.asarray(positions, dtype=np.int32)
            old = self._postings.get(token)
            self._postings[token] = added if old is None else np.concatenate([old, added])

    def candidates(self, query: str, min_score: float, limit: int) -> list[int]:
        """Row positions of at most ``limit`` segments most likely to score high, best first.

        ``query`` is casefolded, as the stored sources are compared.
        """
        size = len(self.ids)
        if size == 0:
            return []
        postings = sorted(
            (p for p in map(self._postings.get, tokens(query)) if p is not None), key=len
        )
        # Words found in a large share of the memory ('của', 'và', 'các') say little about
        # which segment is closest and cost the most to add up: they are left out as long
        # as enough informative words remain.
        common = COMMON_SHARE * size
        informative = [p for p in postings if len(p) <= common]
        if len(informative) >= MIN_INFORMATIVE:
            postings = informative
        weights = np.zeros(size, dtype=np.float32)
        for posting in postings:
            weights[posting] += math.log(1.0 + size / len(posting))
        low, high = length_window(len(query), min_score)
        weights[(self._lengths < low) | (self._lengths > high)] = 0.0
        found = np.flatnonzero(weights)
        if len(found) > limit:
            found = found[np.argpartition(-weights[found], limit - 1)[:limit]]
        order = np.argsort(-weights[found], kind="stable")
        return [int(p) for p in found[order]]


def index_for(db: Database, language: str, layer: str = "station") -> FuzzyIndex:
    """The up-to-date index of one layer (``store.tm.LAYERS``) of ``language`` in ``db`` as
    the connection's station sees it: built, extended or rebuilt as needed.

    The province layer is the same for every station (row-level security shows every
    station the province's pairs), so its index is shared; the station layer's is the
    station's. The change count is the database's, per language, moved by any station's
    write: when it does not match the new rows this layer shows, the rows the index holds
    are counted again, and all still there means the difference was in another layer or
    another station, so the index is extended after all (a count instead of a rebuild: tens
    of milliseconds against seconds at 100,000); a deleted row means a rebuild.

    The change count and the new rows are read in one transaction (one snapshot), so a
    writer in another process cannot slip a row between them.
    """
    with db.transaction():
        return _fresh(db, language, layer)


def indexes_for(db: Database, language: str) -> tuple[FuzzyIndex, ...]:
    """Both layers' indexes of ``language`` (the province's, then the station's own), read
    in one transaction."""
    with db.transaction():
        return tuple(_fresh(db, language, layer) for layer in store.LAYERS)


def _fresh(db: Database, language: str, layer: str) -> FuzzyIndex:
    index: FuzzyIndex | None
    station = 0 if layer == "province" else db.station_id
    key = (*store.database_identity(db), station, f"{layer}:{language}")
    index = _cache.get(key)
    changes = store.change_count(db, language)
    if index is not None and index.changes != changes:
        rows = list(store.sources_after(db, language, index.max_id, layer))
        if (
            index.changes + len(rows) == changes  # only insertions since
            or store.count_through(db, language, index.max_id, layer) == len(index)
        ):
            index.extend(rows)
            index.changes = changes
        else:  # something was deleted: start again
            index = None
    if index is None:
        index = FuzzyIndex()
        index.extend(store.sources_after(db, language, 0, layer))
        index.changes = changes
    _cache[key] = index
    _cache.move_to_end(key)
    while len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return index
