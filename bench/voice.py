"""Benchmark: voicing a 3-minute script sentence by sentence, one core against every core.

Builds the radio script of the sample article, then synthesises every spoken sentence with
the espeak-ng profile (no cache) sequentially and with a worker process per core, several
rounds alternating so that load from other programs hits both alike. Prints the median wall
times, the speedup and the real-time factor (seconds of work per second of audio).
Nothing is asserted: figures are for the closing notes and for spotting regressions.

    .venv/bin/python bench/voice.py [--minutes 3] [--rounds 5] [--profile espeak-vi-north]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ARTICLE = ROOT / "examples" / "articles" / "dich-vu-cong-truc-tuyen.md"


def main() -> None:
    from broadcast.script.build import build_script
    from broadcast.script.glossary import load_glossary
    from broadcast.store.station import Station
    from broadcast.text.ingest import read_article
    from broadcast.voice.profiles import load_profile
    from broadcast.voice.synth import MIN_PROCESS_BATCH, synthesize_profile

    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", default="espeak-vi-north")
    parser.add_argument(
        "--copies", type=int, default=1, help="voice the script N times over (longer input)"
    )
    args = parser.parse_args()

    station = Station(name="Đài truyền thanh xã Mường La", commune="Mường La", province="Sơn La")
    script = build_script(read_article(ARTICLE), station, args.minutes, load_glossary())
    texts = [s.spoken + " ." * n for n in range(args.copies) for s in script.sentences]
    profile = load_profile(args.profile)
    cores = os.cpu_count() or 1
    times: dict[int, list[float]] = {1: [], cores: []}
    audio_s = 0.0
    for _ in range(args.rounds):
        for workers in (1, cores):
            began = time.perf_counter()
            result = synthesize_profile(profile, texts, None, workers=workers)
            times[workers].append(time.perf_counter() - began)
            audio_s = sum(c.duration_s for c in result.clips)
    one, many = statistics.median(times[1]), statistics.median(times[cores])
    print(f"profile {profile.name}: {len(texts)} sentences, {audio_s:.1f} s of speech")
    print(f"1 worker:   {one:.2f} s  (RTF {one / audio_s:.4f})")
    print(f"{cores} workers:  {many:.2f} s  (RTF {many / audio_s:.4f})")
    print(f"speedup: {one / many:.2f}x  (load average {os.getloadavg()[0]:.1f} on {cores} cores)")
    if len(texts) < MIN_PROCESS_BATCH:
        print(f"(fewer than {MIN_PROCESS_BATCH} sentences: both runs are sequential by design)")


if __name__ == "__main__":
    main()
