"""Voice a whole script sentence by sentence, reusing cached sentence audio.

Sentence audio is keyed by text, engine, its version and parameters: a re-run after an
edit re-synthesises only the sentences that changed. ``synthesize_profile`` is the entry point
for voice profiles: it adds the fallback voice and runs independent sentences on every core.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path

from broadcast.errors import EngineError
from broadcast.lifecycle import start_worker
from broadcast.store.files import atomic_write_bytes
from broadcast.voice.base import SpeechClip, VoiceEngine, engine_class
from broadcast.voice.decode import read_wav, wav_bytes
from broadcast.voice.profiles import VoiceProfile


def cache_key(engine: VoiceEngine, text: str) -> str:
    params = "|".join(f"{k}={v}" for k, v in sorted(vars(engine).items()))
    raw = f"{engine.name}|{engine.version}|{params}|{text}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def synthesize_all(
    engine: VoiceEngine,
    texts: Sequence[str],
    cache_dir: Path | None = None,
    on_sentence: Callable[[int], None] | None = None,
) -> list[SpeechClip]:
    """One clip per text, in order; ``on_sentence`` reports progress."""
    clips = []
    for index, text in enumerate(texts):
        cached = cache_dir / f"{cache_key(engine, text)}.wav" if cache_dir else None
        if cached is not None and cached.is_file():
            clip = read_wav(cached)
        else:
            clip = engine.synthesize(text)
            if cached is not None:
                atomic_write_bytes(cached, wav_bytes(clip))
        clips.append(clip)
        if on_sentence is not None:
            on_sentence(index + 1)
    return clips


# --- Voice profiles: cache by profile, fallback voice, sentences side by side ---------------


@dataclass(frozen=True)
class SentenceAudio:
    """One sentence's audio and who actually spoke it; ``cached`` is True when nothing was
    synthesised now (read from the sentence cache, or an imported take)."""

    text: str
    clip: SpeechClip
    profile: str
    engine: str
    cached: bool


@dataclass(frozen=True)
class VoiceResult:
    """A script voiced with a profile; ``used`` differs from ``requested`` after a fallback.

    One profile speaks every sentence: when the requested engine fails, the whole script is
    read by the fallback so a segment never switches voice mid-way.
    """

    requested: VoiceProfile
    used: VoiceProfile
    sentences: tuple[SentenceAudio, ...]
    fallback_reason: str | None = None

    @property
    def clips(self) -> list[SpeechClip]:
        return [s.clip for s in self.sentences]

    @property
    def fallback_used(self) -> bool:
        return self.used.name != self.requested.name

    @property
    def engine_label(self) -> str:
        """What to store in ``renders.engine``: profile and engine, plus the fallback."""
        label = f"{self.used.name} ({self.used.engine}:{self.used.voice})"
        return f"{label}; dự phòng cho {self.requested.name}" if self.fallback_used else label

    @property
    def notice(self) -> str | None:
        """The sentence shown to the user when a fallback voice spoke instead."""
        if not self.fallback_used:
            return None
        return (
            f"Giọng '{self.requested.name}' không dùng được ({self.fallback_reason}); "
            f"đã đọc bằng giọng dự phòng '{self.used.name}'."
        )


def profile_cache_key(profile: VoiceProfile, text: str) -> str:
    """Text + the profile's audio settings + the engine's version: an engine upgrade or a
    changed rate re-synthesises, a renamed profile or another server does not."""
    version = engine_class(profile.engine).version
    raw = f"{profile.audio_fields()}|{version}|{text}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


MIN_PROCESS_BATCH = 24  # measured: below this, starting the pool costs more than it saves


def _speak(profile: VoiceProfile, text: str) -> SpeechClip:
    """Top-level so a process pool can run it; builds the engine in the worker."""
    return engine_class(profile.engine).from_profile(profile).synthesize(text)


def _speak_batch(profile: VoiceProfile, texts: list[str]) -> list[SpeechClip]:
    """Several sentences in one task: what ``Executor.map``'s chunks did, as a function of
    ours so that the futures are ours too (see ``_run_pool``)."""
    return [_speak(profile, text) for text in texts]


def _run_pool(
    profile: VoiceProfile, texts: list[str], workers: int
) -> Generator[SpeechClip, None, None]:
    mode = engine_class(profile.engine).parallel
    # Starting worker processes costs about as much as a few dozen espeak-ng sentences.
    smallest = MIN_PROCESS_BATCH if mode == "process" else 2
    if workers <= 1 or len(texts) < smallest or mode == "none":
        yield from (_speak(profile, t) for t in texts)
        return
    executor: Executor
    if mode == "thread":
        executor = ThreadPoolExecutor(max_workers=workers)
    else:
        # fork: the child starts with the parent's modules loaded, so no re-import per run;
        # each process has its own copy of espeak-ng's global state, hence no lock contention.
        # Each worker asks the kernel to kill it when this process dies (even by SIGKILL).
        executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=start_worker,
            initargs=(os.getpid(),),
        )
    finished = False
    killed = False
    try:
        # Sentences go to processes in batches: one espeak-ng sentence takes ~30 ms, about
        # what shipping a single task and its audio between processes costs.
        batch = 1 if mode == "thread" else max(1, len(texts) // (workers * 4))
        # Submitted by hand rather than with Executor.map, whose generator cancels the
        # pending futures when it is closed: a process pool broken by the killed workers then
        # sets an exception on those cancelled futures, which Python 3.11 reports as a
        # traceback from the pool's thread (InvalidStateError) after a clean stop.
        futures = [
            executor.submit(_speak_batch, profile, texts[at : at + batch])
            for at in range(0, len(texts), batch)
        ]
        for future in futures:
            yield from future.result()
        finished = True
    finally:
        if not finished and isinstance(executor, ProcessPoolExecutor):
            _kill_workers(executor)
            killed = True
        # A stop signal that lands while the pool is still starting leaves its manager thread
        # unstarted, and shutdown() then raises "cannot join thread before it is started",
        # hiding the stop behind a crash report: nothing is running, so nothing to wait for.
        # A killed pool is broken: its manager fails the futures left, none is cancelled.
        with suppress(RuntimeError):
            executor.shutdown(wait=True, cancel_futures=not killed)


def _kill_workers(executor: ProcessPoolExecutor) -> None:
    """Stop the workers now: on Ctrl-C, SIGTERM or an error, waiting for their batches
    would keep the run (and ~100 MB per worker) alive after the user asked it to stop."""
    kill = getattr(executor, "kill_workers", None)  # public from Python 3.14
    if kill is not None:
        kill()
        return
    processes = getattr(executor, "_processes", None) or {}
    for process in list(processes.values()):
        with suppress(OSError, ValueError):  # already gone, or already closed
            process.kill()
    # A worker killed while it was writing a result leaves half a message in the result pipe,
    # and the pool's manager thread then waits for the rest for ever (reproduced: one stop in
    # ten during the voice stage), so shutdown() - and the interpreter's exit, which joins
    # that thread - never returned. With this process's own copy of the pipe's writing end
    # closed, the read ends with EOF once the killed workers are gone: the manager sees a
    # broken pool and stops. (Python 3.11-3.13's private attributes; absent ones are skipped.)
    queue = getattr(executor, "_result_queue", None)
    writer = getattr(queue, "_writer", None)
    if writer is not None:
        with suppress(OSError):
            writer.close()


def _voice_with(
    profile: VoiceProfile,
    texts: Sequence[str],
    cache_dir: Path | None,
    workers: int,
    on_sentence: Callable[[int], None] | None,
) -> tuple[SentenceAudio, ...]:
    engine = engine_class(profile.engine)
    use_cache = cache_dir is not None and engine.cacheable
    paths = [
        cache_dir / f"{profile_cache_key(profile, t)}.wav" if use_cache and cache_dir else None
        for t in texts
    ]
    done: dict[int, SentenceAudio] = {}
    for index, (text, path) in enumerate(zip(texts, paths, strict=True)):
        if path is not None and path.is_file():
            done[index] = SentenceAudio(text, read_wav(path), profile.name, engine.name, True)
    todo = [i for i in range(len(texts)) if i not in done]
    if on_sentence is not None and done:
        on_sentence(len(done))
    # closing(): an error or a stop while reading the results ends the pool at once, not
    # whenever the suspended generator happens to be collected.
    with closing(_run_pool(profile, [texts[i] for i in todo], workers)) as spoken:
        for index, clip in zip(todo, spoken, strict=True):
            path = paths[index]
            if path is not None:
                atomic_write_bytes(path, wav_bytes(clip))
            # A non-cacheable engine (announcer takes) reads stored audio: nothing synthesised.
            stored = not engine.cacheable
            done[index] = SentenceAudio(texts[index], clip, profile.name, engine.name, stored)
            if on_sentence is not None:
                on_sentence(len(done))
    return tuple(done[i] for i in range(len(texts)))


def synthesize_profile(
    profile: VoiceProfile,
    texts: Sequence[str],
    cache_dir: Path | None = None,
    *,
    workers: int | None = None,
    on_sentence: Callable[[int], None] | None = None,
) -> VoiceResult:
    """Voice every text with ``profile`` (one clip per text, in order), falling back along
    the profile's fallback chain when its engine fails.

    Cached sentences are read back; the rest run ``workers`` at a time (default: one per
    core). ``on_sentence(n)`` reports how many sentences are ready. Raises ``EngineError``
    when the last profile of the chain fails too; clips already cached stay valid.
    """
    count = workers if workers is not None else (os.cpu_count() or 1)
    current, reason = profile, None
    while True:
        try:
            sentences = _voice_with(current, texts, cache_dir, count, on_sentence)
            return VoiceResult(profile, current, sentences, reason)
        except EngineError as exc:
            if current.fallback_to is None:
                raise
            reason = reason or exc.message
            current = current.fallback_to
