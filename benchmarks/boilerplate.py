"""Measure the boilerplate cleaners on the pages corpus (shared/corpus/pages).

For each page, ``cases.jsonl`` lists strings of the article (``with``) that must be
kept and strings of page furniture (``without``) that must go. This prints, per
language and overall, the share of ``with`` strings kept and of ``without`` strings
dropped, and the time per page, for:

* text      — the plain-text path: ``strip_boilerplate`` on the page's ``.txt``;
* html      — the HTML path: ``extract_html`` on the page's ``.html``;
* traf-txt  — naive baseline: trafilatura on the ``.txt`` (each line made a ``<p>``).

Both paths are scored on the headline and the text together (the headline is returned
apart, as ``title``, and need not be repeated in ``text``). Strings that are not visible in the ``.txt`` (``without_not_in_txt``,
``with_missing_in_txt``) are left out of the text measurements. Matching is on
whitespace-normalised substrings. Times are taken after one untimed warm-up pass. Pages are also split in two halves (A/B, by a hash
of the file name) so that tuning on one half can be checked on the other.

Usage: python benchmarks/boilerplate.py [--pages DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import html as htmllib
import json
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from veille.clean.boilerplate import Stripped, strip_boilerplate
from veille.clean.html import HtmlContent, extract_html

DEFAULT_PAGES = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "pages"


def norm(text: str) -> str:
    """Whitespace-normalised form used for substring matching."""
    return " ".join(text.split())


def half(name: str) -> str:
    """Stable two-way split of pages by name."""
    return "A" if zlib.crc32(name.encode()) % 2 == 0 else "B"


@dataclass
class Tally:
    """Counts of kept ``with`` strings and dropped ``without`` strings, plus time."""

    kept: int = 0
    with_total: int = 0
    dropped: int = 0
    without_total: int = 0
    seconds: float = 0.0
    pages: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.kept += other.kept
        self.with_total += other.with_total
        self.dropped += other.dropped
        self.without_total += other.without_total
        self.seconds += other.seconds
        self.pages += other.pages
        self.misses.extend(other.misses)

    def row(self, label: str) -> str:
        kept = self.kept / self.with_total if self.with_total else 0.0
        dropped = self.dropped / self.without_total if self.without_total else 0.0
        ms = 1000 * self.seconds / self.pages if self.pages else 0.0
        timed = f"  {ms:7.1f} ms/page" if self.seconds else ""
        return (
            f"{label:<14} pages {self.pages:>3}  kept {kept:6.1%} ({self.kept}/{self.with_total})"
            f"  dropped {dropped:6.1%} ({self.dropped}/{self.without_total}){timed}"
        )


def load_cases(pages: Path) -> list[dict]:
    with open(pages / "cases.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def score(case: dict, output: str, seconds: float, text_path: bool) -> Tally:
    """Score one page's output against its case."""
    out = norm(output)
    withs = case["with"]
    withouts = case["without"]
    if text_path:
        withs = [w for w in withs if w not in case.get("with_missing_in_txt", [])]
        withouts = [w for w in withouts if w not in case.get("without_not_in_txt", [])]
    tally = Tally(seconds=seconds, pages=1)
    for string in withs:
        tally.with_total += 1
        if norm(string) in out:
            tally.kept += 1
        else:
            tally.misses.append(f"{case['file']}: LOST  {string!r}")
    for string in withouts:
        tally.without_total += 1
        if norm(string) not in out:
            tally.dropped += 1
        else:
            tally.misses.append(f"{case['file']}: KEPT  {string!r}")
    return tally


def joined(result: Stripped | HtmlContent) -> str:
    """Headline and text, as the pipeline keeps them."""
    return f"{result.title or ''}\n\n{result.text}"


def traf_on_text(text: str) -> str:
    """Naive baseline: trafilatura on the plain text, one ``<p>`` per line."""
    import trafilatura

    body = "".join(f"<p>{htmllib.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return trafilatura.extract(f"<html><body>{body}</body></html>", include_comments=False) or ""


def run_path(
    cases: Iterable[dict],
    pages: Path,
    reader: Callable[[dict], str],
    fn: Callable[[str], str],
    text_path: bool,
) -> dict[str, Tally]:
    """Run one path over all pages; tallies keyed by language, half and "all"."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    cases = list(cases)
    sources = [reader(case) for case in cases]
    for source in sources:  # warm-up: lazy imports and caches (dateparser, tables) are not per page
        fn(source) if source else ""
    for case, source in zip(cases, sources):
        start = time.perf_counter()
        output = fn(source) if source else ""
        tally = score(case, output, time.perf_counter() - start, text_path)
        tallies[case["lang"]].add(tally)
        tallies["half " + half(case["file"])].add(tally)
        tallies["all"].add(tally)
    return tallies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--verbose", action="store_true", help="list every failed string")
    args = parser.parse_args()
    cases = load_cases(args.pages)

    def read_txt(case: dict) -> str:
        return (args.pages / case["txt"]).read_text(encoding="utf-8")

    def read_html(case: dict) -> str:
        raw = (args.pages / case["file"]).read_bytes()
        return raw.decode(case.get("html_encoding") or "utf-8", errors="replace")

    paths = {
        "text": (read_txt, lambda t: joined(strip_boilerplate(t)), True),
        "html": (read_html, lambda h: joined(extract_html(h)), False),
        "traf-txt": (read_txt, traf_on_text, True),
    }
    for name, (reader, fn, text_path) in paths.items():
        tallies = run_path(cases, args.pages, reader, fn, text_path)
        print(f"== {name}")
        for key in sorted(tallies, key=lambda k: (k == "all", k.startswith("half"), k)):
            print("  " + tallies[key].row(key))
        if args.verbose and name == "text":
            for miss in tallies["all"].misses:
                print("    " + miss)


if __name__ == "__main__":
    main()
