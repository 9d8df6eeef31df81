"""Full pipeline time against spaCy's own ``nlp.pipe`` on the same texts with the same model.

One process, models loaded beforehand (both sides warm). Steps timed separately:
cleaning alone, spaCy alone (``nlp.pipe`` over the cleaned texts veille gives spaCy,
batch ``veille.nlp.BATCH_SIZE``), then the full single-process ingest into a fresh
store. With ``--profile``, the full run is profiled with cProfile and its time is
split by package (spaCy/thinc/numpy, veille.clean, veille.events, veille.actors, the
store, …), to show where time goes outside spaCy.

    .venv/bin/python benchmarks/pipeline.py --docs 300 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

BUCKETS = (  # first match wins: (label, substring of the code's file path)
    ("spaCy+thinc+numpy", ("/spacy/", "/thinc/", "/numpy/", "srsly", "cymem", "preshed", "blis")),
    ("veille.events", ("/veille/events/",)),
    ("veille.actors", ("/veille/actors/",)),
    ("veille.clean", ("/veille/clean/", "trafilatura", "lingua", "dateparser", "ftfy", "charset_normalizer",
                      "htmldate", "lxml", "justext", "courlan", "regex/")),
    ("store (duckdb, arrow)", ("/veille/store/", "duckdb", "pyarrow")),
    ("veille.ingest", ("/veille/ingest/",)),
    ("veille.nlp/pipeline", ("/veille/nlp/", "/veille/pipeline")),
)


def bucket(filename: str) -> str:
    for label, keys in BUCKETS:
        if any(k in filename for k in keys):
            return label
    return "other (python stdlib, builtins)"


def split_profile(profile: cProfile.Profile) -> dict[str, float]:
    """Own time (tottime) summed by package."""
    stats = pstats.Stats(profile)
    out: dict[str, float] = defaultdict(float)
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        out[bucket(filename)] += tottime
    return dict(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "veille-bench")
    args = ap.parse_args()

    from veille.ingest import read_inputs
    from veille.nlp import BATCH_SIZE, MAX_CHARS, load
    from veille.pipeline import PipelineOptions, clean_batch, ingest

    data = args.data / f"n{args.docs}"
    files = [str(p) for p in corpus.build(data, args.docs)]
    options = PipelineOptions()
    raws = list(read_inputs(files))
    for lang in ("fr", "en"):
        load(lang)
    t = time.perf_counter()
    docs, _ = clean_batch(raws, options)
    t_clean = time.perf_counter() - t
    by_lang: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        if d.lang_supported:
            by_lang[d.lang].append(d.text[:MAX_CHARS])
    words = sum(len(x.split()) for texts in by_lang.values() for x in texts)
    t = time.perf_counter()
    for lang, texts in by_lang.items():
        for _ in load(lang).pipe(texts, batch_size=BATCH_SIZE):
            pass
    t_spacy = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        profile = cProfile.Profile() if args.profile else None
        t = time.perf_counter()
        if profile:
            profile.enable()
        stats = ingest(f"{tmp}/s.duckdb", files, options)
        if profile:
            profile.disable()
        t_full = time.perf_counter() - t
    print(f"{args.docs} reports, {len(docs)} cleaned, {words:,} words, {stats.events} events")
    print(f"clean alone      {t_clean:8.1f} s")
    print(f"spaCy nlp.pipe   {t_spacy:8.1f} s  ({words / t_spacy:,.0f} words/s)")
    label = "full (profiled)" if profile else "full ingest"
    print(f"{label:<16} {t_full:8.1f} s  ({words / t_full:,.0f} words/s)  ratio full/spaCy = {t_full / t_spacy:.2f}")
    if profile:
        split = split_profile(profile)
        total = sum(split.values())
        print("\nown time by package in the full run (cProfile):")
        for name, secs in sorted(split.items(), key=lambda kv: -kv[1]):
            print(f"  {name:<34} {secs:7.1f} s  {secs / total:6.1%}")
        print("\ntop functions outside spaCy by own time:")
        ps = pstats.Stats(profile)
        rows = [(v[2], k) for k, v in ps.stats.items() if bucket(k[0]) != "spaCy+thinc+numpy"]  # type: ignore[attr-defined]
        for tottime, (filename, line, name) in sorted(rows, reverse=True)[:15]:
            short = "/".join(filename.split("/")[-3:])
            print(f"  {tottime:6.2f} s  {short}:{line} {name}")


if __name__ == "__main__":
    main()
