"""Choose the reports to annotate and lay them out as batches.

The pool is ``shared/corpus/train`` (real French and English news) plus, for French
domestic events, POPCORN's train split. Reports longer than ``MAX_WORDS`` words are left
out (a tenth of the English pool) so that a batch stays readable in one sitting. The order
is a seeded shuffle, so the same command always gives the same batches; the first
``DOUBLE`` reports of each language are the ones coded twice.
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

SEED = 2026
MAX_WORDS = 1200
DOUBLE = 100
BATCH_SIZE = {"fr": 20, "en": 10}
#: Reports of the first selection per language (more than the 800 the corpus first needed, for spares).
TARGET = {"fr": 900, "en": 900}
#: Reports appended after the first selection (second round of annotation, 2026-12-07: 900; third
#: round, laid out the same day: 900 more; fourth round, 2026-12-07: 1,940 French and 500 English more,
#: French first because its train split had the fewest events): the next reports of the same
#: shuffled train pool, no POPCORN (its other reports stay held out for
#: ``benchmarks/popcorn_types.py``). Appending never changes a batch laid out before.
EXTENSION = {"fr": 3740, "en": 2300}
#: How many POPCORN reports go into the French selection.
POPCORN = 160


def _train_reports(shared: Path, lang: str) -> list[dict]:
    out = []
    for part in sorted((shared / "corpus" / "train" / lang).glob("part-*.jsonl.gz")):
        with gzip.open(part, "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                out.append({"id": rec["id"], "lang": lang, "published": rec.get("date"),
                            "title": rec.get("title") or "", "text": rec["text"],
                            "source": "corpus/train:" + rec["id"]})
    return out


def _popcorn_reports(shared: Path) -> list[dict]:
    data = json.loads((shared / "corpus" / "popcorn" / "train.json").read_text(encoding="utf-8"))
    return [{"id": f"popcorn/{key}", "lang": "fr", "published": None, "title": "",
             "text": value["text"], "source": "corpus/popcorn/train.json:" + key}
            for key, value in sorted(data.items())]


def select(shared: Path, lang: str) -> list[dict]:
    """The ordered selection for one language (deterministic): the first ``TARGET`` reports as
    laid out in the first round, then ``EXTENSION`` more from the rest of the train pool."""
    rng = random.Random(f"{SEED}-{lang}")
    pool = [r for r in _train_reports(shared, lang) if len(r["text"].split()) <= MAX_WORDS]
    pool.sort(key=lambda r: r["id"])
    rng.shuffle(pool)
    if lang != "fr":
        return pool[:TARGET[lang] + EXTENSION[lang]]
    popcorn = _popcorn_reports(shared)
    rng.shuffle(popcorn)
    first = TARGET[lang] - POPCORN
    chosen = pool[:first] + popcorn[:POPCORN]
    rng.shuffle(chosen)
    return chosen + pool[first:first + EXTENSION[lang]]


def write_batches(shared: Path, out: Path) -> list[tuple[str, int]]:
    """Write ``out/<lang>-<NNN>/input.jsonl`` for every batch; returns (batch, reports)."""
    made = []
    for lang in ("fr", "en"):
        reports = select(shared, lang)
        size = BATCH_SIZE[lang]
        for number, start in enumerate(range(0, len(reports), size)):
            name = f"{lang}-{number:03d}"
            folder = out / name
            folder.mkdir(parents=True, exist_ok=True)
            body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reports[start:start + size])
            (folder / "input.jsonl").write_text(body, encoding="utf-8")
            made.append((name, len(reports[start:start + size])))
    return made


def double_coded_batches(lang: str) -> list[str]:
    """The batches holding the first DOUBLE reports of a language (coded twice)."""
    return [f"{lang}-{n:03d}" for n in range(DOUBLE // BATCH_SIZE[lang])]
