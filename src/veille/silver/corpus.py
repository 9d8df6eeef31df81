"""The state of the silver corpus: which batches are coded, their agreement, and the kept
``data/silver/{fr,en}/`` split files assembled from them (``train.jsonl.gz``, ``dev.jsonl``,
``test.jsonl``: ``veille.silver.files``).

A batch folder holds ``input.jsonl`` and one file per coding: ``A.jsonl`` (first coder),
``B.jsonl`` (second, independent coder; only for the doubly coded batches) and
``kept.jsonl`` (the two codings settled into one). The kept version of a batch is
``kept.jsonl`` when there is one, else ``A.jsonl`` for a batch that is coded once. A doubly
coded batch without ``kept.jsonl`` is not kept yet.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from veille.silver.files import split_path, write_text
from veille.silver.select import double_coded_batches
from veille.silver.validate import validate_file

SPLITS = (("train", 0.70), ("dev", 0.85), ("test", 1.0))


#: Salt of the split hash. The training corpus itself was selected in sha1(id) order within each
#: year, so an unsalted sha1 of the id puts far too many reports in train (84% instead of 70%).
SPLIT_SALT = "veille-silver-split-1:"


def split_of(report_id: str) -> str:
    """train/dev/test for a report, about 70/15/15, fixed by a salted hash of its id."""
    value = int(hashlib.sha1((SPLIT_SALT + report_id).encode("utf-8")).hexdigest(), 16) / 16 ** 40
    for name, bound in SPLITS:
        if value < bound:
            return name
    return "test"


@dataclass(frozen=True, slots=True)
class BatchState:
    name: str
    lang: str
    reports: int
    double: bool
    codings: tuple[str, ...]  # annotator files present and valid: A, B, kept
    invalid: tuple[str, ...]  # annotator files present but failing validation
    events: int  # events in the kept version (0 when none)

    @property
    def kept(self) -> str | None:
        if "kept" in self.codings:
            return "kept"
        if not self.double and "A" in self.codings:
            return "A"
        return None


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def batch_states(batches: Path) -> list[BatchState]:
    """Every batch under ``batches`` with the codings it has (validated, nothing written)."""
    states = []
    for folder in sorted(p for p in batches.iterdir() if (p / "input.jsonl").is_file()):
        lang = folder.name.split("-")[0]
        reports = len(_lines(folder / "input.jsonl"))
        codings, invalid = [], []
        events = {}
        for coder in ("A", "B", "kept"):
            path = folder / f"{coder}.jsonl"
            if not path.is_file():
                continue
            result = validate_file(path, write=False)
            (codings if result.ok else invalid).append(coder)
            events[coder] = result.events
        state = BatchState(folder.name, lang, reports, folder.name in double_coded_batches(lang),
                           tuple(codings), tuple(invalid), 0)
        states.append(_with_events(state, events))
    return states


def _with_events(state: BatchState, events: dict[str, int]) -> BatchState:
    return BatchState(state.name, state.lang, state.reports, state.double, state.codings,
                      state.invalid, events.get(state.kept or "", 0))


def manifest(states: list[BatchState]) -> str:
    """The manifest table (TSV) committed as ``data/silver/manifest.tsv``."""
    rows = ["batch\tlang\treports\tdouble\tcodings\tinvalid\tkept\tevents"]
    for s in states:
        rows.append(f"{s.name}\t{s.lang}\t{s.reports}\t{'yes' if s.double else 'no'}\t"
                    f"{','.join(s.codings) or '-'}\t{','.join(s.invalid) or '-'}\t{s.kept or '-'}\t{s.events}")
    return "\n".join(rows) + "\n"


def assemble(batches: Path, out: Path) -> dict[tuple[str, str], int]:
    """Write the kept reports to ``out/<lang>/`` (one file per split, ``split_path``); returns
    reports per (lang, split). A split file of the former plain name (``train.jsonl``) is removed."""
    files: dict[tuple[str, str], list[dict]] = {}
    for state in batch_states(batches):
        if state.kept is None:
            continue
        for obj in _lines(batches / state.name / f"{state.kept}.jsonl"):
            obj = {**obj, "coded_by": "adjudicated" if state.kept == "kept" else "single",
                   "batch": state.name}
            files.setdefault((state.lang, split_of(obj["id"])), []).append(obj)
    counts = {}
    for lang in ("fr", "en"):
        for split, _ in SPLITS:
            rows = sorted(files.get((lang, split), []), key=lambda o: o["id"])
            path = split_path(out, lang, split)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
            plain = path.with_name(f"{split}.jsonl")
            if plain != path and plain.exists():
                plain.unlink()
            counts[(lang, split)] = len(rows)
    return counts
