"""Benchmark corpora from real report text: the shared news corpus replicated with new ids.

Each copy gets a unique closing sentence (so its content hash, hence its id, differs);
the text is otherwise the real report. Written as JSON Lines files of ``per_file``
reports each (several files, so that Dask shards have something to spread).
"""

from __future__ import annotations

import json
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
MARKERS = {"fr": "Dépêche d'archive numéro {i}, reprise pour l'essai.",
           "en": "Archive dispatch number {i}, reprinted for the test."}


def base_texts(langs: tuple[str, ...] = ("fr", "en")) -> list[tuple[str, str]]:
    """(lang, text) of every real news report in ../shared/corpus/news, header line kept."""
    out = []
    for lang in langs:
        for path in sorted((SHARED / "corpus" / "news" / lang).glob("*.txt")):
            out.append((lang, path.read_text(encoding="utf-8")))
    return out


def build(directory: Path, n: int, per_file: int = 64, langs: tuple[str, ...] = ("fr", "en")) -> list[Path]:
    """Write ``n`` reports as JSON Lines under ``directory`` (reused when already there)."""
    directory.mkdir(parents=True, exist_ok=True)
    done = directory / f".complete-{n}-{per_file}-{'-'.join(langs)}"
    files = [directory / f"part-{k:05d}.jsonl" for k in range((n + per_file - 1) // per_file)]
    if done.exists():
        return files
    for stale in [*directory.glob("part-*.jsonl"), *directory.glob(".complete-*")]:
        stale.unlink()
    texts = base_texts(langs)
    for k, path in enumerate(files):
        with path.open("w", encoding="utf-8") as out:
            for i in range(k * per_file, min(n, (k + 1) * per_file)):
                lang, text = texts[i % len(texts)]
                body = text.rstrip() + "\n\n" + MARKERS[lang].format(i=i) + "\n"
                out.write(json.dumps({"id": f"bench-{i}", "text": body}, ensure_ascii=False) + "\n")
    done.touch()
    return files
