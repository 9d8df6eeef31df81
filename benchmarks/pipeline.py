"""Full pipeline time against spaCy's own ``nlp.pipe`` on the same texts with the same model.

One process, models loaded beforehand (both sides warm). Each stage is timed alone on
the same reports — cleaning, spaCy (``nlp.pipe`` over the cleaned texts veille gives
spaCy, batch ``veille.nlp.BATCH_SIZE``), the coder (actors + events over the parsed
docs), one store write — then the full single-process ingest into a fresh store; all
are given as multiples of spaCy's time. ``--profile`` profiles the coder step with
cProfile (top functions and time by package) to show where time goes outside spaCy.

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
import corpus

BUCKETS = (  # first match wins: (label, substring of the code's file path)
    ("spaCy (token access)", ("spacy/", "thinc/", "numpy/", "srsly", "cymem", "preshed", "blis")),
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
    ap.add_argument("--profile", action="store_true", help="Profile the coder step (cProfile).")
    ap.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "veille-bench")
    ap.add_argument("--coder", choices=["auto", "learned", "rules"], default="auto",
                    help="Coder of the full ingest (the rules coder is timed alone too).")
    args = ap.parse_args()

    from veille.events import code_events_batch
    from veille.ingest import read_inputs
    from veille.nlp import BATCH_SIZE, MAX_CHARS, load
    from veille.pipeline import PipelineOptions, clean_batch, ingest
    from veille.store import Store

    data = args.data / f"n{args.docs}"
    files = [str(p) for p in corpus.build(data, args.docs)]
    options = PipelineOptions(coder=args.coder)
    raws = list(read_inputs(files))
    from veille.actors import load_tables
    from veille.events.tables import load_coder_tables

    for lang in ("fr", "en"):  # warm: spaCy models, actor tables (the gazetteer: ~2 s), trigger tables
        load(lang)
        load_tables(lang)
        load_coder_tables(lang)
    times: dict[str, float] = {}
    t = time.perf_counter()
    docs, _ = clean_batch(raws, options)
    times["clean"] = time.perf_counter() - t
    supported = [d for d in docs if d.lang_supported]
    words = sum(len(d.text[:MAX_CHARS].split()) for d in supported)
    parsed = []
    t = time.perf_counter()
    for lang in sorted({d.lang for d in supported}):
        mine = [d for d in supported if d.lang == lang]
        parsed.extend(zip(mine, load(lang).pipe((d.text[:MAX_CHARS] for d in mine), batch_size=BATCH_SIZE)))
    times["spaCy nlp.pipe"] = time.perf_counter() - t
    # the coders run over the parsed documents in the pipeline's batches (BATCH_DOCS)
    from veille.pipeline import BATCH_DOCS

    def code_all(coder: str) -> list:
        found = []
        for start in range(0, len(parsed), BATCH_DOCS):
            for events_of_doc in code_events_batch(parsed[start:start + BATCH_DOCS], coder=coder):
                found.extend(events_of_doc)
        return found

    t = time.perf_counter()
    rule_events = code_all("rules")
    times["code, rules coder"] = time.perf_counter() - t
    t = time.perf_counter()
    events = code_all(args.coder)
    times[f"code, {args.coder} coder"] = time.perf_counter() - t
    print(f"events: rules {len(rule_events)}, {args.coder} {len(events)}")
    profile = None
    if args.profile:  # a second pass: cProfile slows many small calls several times over
        profile = cProfile.Profile()
        profile.enable()
        code_all(args.coder)
        profile.disable()
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        Store(f"{tmp}/w.duckdb").write_batch(docs, events)
        times["store write"] = time.perf_counter() - t
        t = time.perf_counter()
        stats = ingest(f"{tmp}/s.duckdb", files, options)
        t_full = time.perf_counter() - t
    t_spacy = times["spaCy nlp.pipe"]
    print(f"{args.docs} reports, {len(docs)} cleaned, {words:,} words, {stats.events} events")
    for name, secs in times.items():
        print(f"  {name:<22} {secs:7.1f} s  {secs / t_spacy:5.2f} x spaCy")
    print(f"  {'full ingest':<22} {t_full:7.1f} s  {t_full / t_spacy:5.2f} x spaCy   "
          f"({args.docs / t_full:.1f} docs/s, {words / t_full:,.0f} words/s; spaCy alone {words / t_spacy:,.0f} words/s)")
    if profile:
        print("\ntop functions of the coder step by own time (cProfile; spaCy token access included):")
        ps = pstats.Stats(profile)
        rows = [(v[2], k) for k, v in ps.stats.items()]  # type: ignore[attr-defined]
        for tottime, (filename, line, name) in sorted(rows, reverse=True)[:15]:
            short = "/".join(filename.split("/")[-3:])
            print(f"  {tottime:6.2f} s  {short}:{line} {name}")
        split = split_profile(profile)
        total = sum(split.values()) or 1.0
        print("\ncoder step own time by package:")
        for name, secs in sorted(split.items(), key=lambda kv: -kv[1]):
            print(f"  {name:<34} {secs:7.2f} s  {secs / total:6.1%}")


if __name__ == "__main__":
    main()
