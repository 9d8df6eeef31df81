"""The cleaner on pages it has never seen (issue 15): the rules, the learned line model
cross-validated by page, and the HTML path, on the 74 pages of ../shared/corpus/pages.

Score (as ``benchmarks/boilerplate.py``): share of a page's ``with`` strings (cases.jsonl) found
in the headline and text the cleaner returns, and of its ``without`` strings absent from them,
summed over pages. On the plain-text paths, strings not visible in the .txt are left out.

* **rules**: ``strip_boilerplate(..., learned=False)``, the cue rules alone. They were written by
  looking at these pages, so this is their figure on pages they have seen.
* **learned, cross-validated**: 5 folds by a hash of the page name; for each fold the line
  model is trained (``scripts/train_cleaner.py``'s ``fit_bundle``: both stages, the word model,
  fixed settings and thresholds) on the dense line labels of the other pages only
  (``data/page_lines``), then scores the held-out pages. The with/without strings are never
  used to train or choose anything. **This is the honest figure.**
* **learned, shipped bundle**: the model trained on all 74 pages, scored on them (seen pages,
  for comparison with the rules' figure only).
* **html**: ``veille.clean`` with kind html on the pages' .html (trafilatura, then the cue
  tables on its blocks); and the same extracted text passed through the cross-validated line
  model (not wired in: it is measured, see below).
* time per page of ``strip_boilerplate`` on the .txt, rules alone and with the shipped model.

The rules and the learned model get the page's language from cases.jsonl (the pipeline detects
it; the pages' languages are detected right).

    .venv/bin/python benchmarks/cleaner_cv.py [--no-html] [--verbose]
    .venv/bin/python benchmarks/cleaner_cv.py --lines-only

``--lines-only`` prints the line-level figures only (article characters kept, furniture
characters and lines dropped, headline right, and the mean over pages of the share of each page's
article lines kept, which weighs every page alike as the strings do and moved with the kept strings
in the trials of 2026-12-07, against ``data/page_lines``; cross-validated the
same way, and at thresholds 0.3-0.8 on the held-out probabilities) and never reads the
with/without strings (only the pages' languages from cases.jsonl, as training does):
choices are made on these. The string score is computed rarely; the model card lists each time.

Measured 2026-12-07 (2-core machine shared with other work; the CV trains 5 bundles, ~4 min):

| path | kept | dropped |
|---|---|---|
| rules (written on these pages) | 0.949 (203/214) | 0.879 (174/198) |
| learned, cross-validated by page (the honest figure) | 0.935 (200/214) | 0.889 (176/198) |
| learned, shipped bundle on its own training pages | 0.977 (209/214) | 0.939 (186/198) |
| html: veille.clean (trafilatura + cue tables) | 0.986 (211/214) | 0.916 (207/226) |
| html + cross-validated line model on the extracted text | 0.902 (193/214) | 0.942 (213/226) |

Line level, cross-validated: article characters kept 0.960, furniture characters dropped 0.899,
furniture lines dropped 0.981, headline right 53/74 (rules: 0.969, 0.806, 0.968, 40/74).
Time per page: see the model card (measured apart, on a quieter machine state). The target
of issue 15 (0.95 kept, 0.93 dropped on unseen pages) is not reached. On the HTML path the
line model trades article for furniture (kept 0.986 → 0.902, dropped 0.916 → 0.942): it was
trained on whole pages, not on trafilatura's text, and is not applied there.

Earlier (previous bundle, 250 iterations): 0.944 (202/214) / 0.899 (178/198) cross-validated.
Before that (sparse labels: 423 lines holding a with/without string, text scored without
the headline; the rules 0.944 / 0.894 that way): gradient boosting 0.911-0.935 / 0.833-0.894,
logistic regression 0.944-0.953 / 0.813-0.838, no better than the rules.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from boilerplate import Tally, joined, score  # noqa: E402
from boilerplate import load_cases as load_case_list  # noqa: E402
from train_cleaner import PAGES, Page, fit_bundle, fold_of, load_pages  # noqa: E402

from veille.clean import clean  # noqa: E402
from veille.clean.boilerplate import assemble, read_lines, strip_boilerplate  # noqa: E402
from veille.clean.html import extract_html  # noqa: E402
from veille.clean.line_model import (  # noqa: E402
    available,
    decide_with,
    decision_at,
    probabilities,
)
from veille.records import Declared, RawDocument  # noqa: E402

K = 5


def load_cases() -> dict[str, dict]:
    """The with/without strings of each page, by the page's name (no ``.txt``)."""
    return {case["txt"][: -len(".txt")]: case for case in load_case_list(PAGES)}


def add(tally: Tally, case: dict, output: str, text_path: bool = True) -> None:
    """Score one page's output as ``benchmarks/boilerplate.py`` does and add it to ``tally``."""
    tally.add(score(case, output, 0.0, text_path))


def html_text(case: dict) -> str:
    """Headline and text of the page's .html through ``veille.clean`` (kind html)."""
    raw = RawDocument(
        source=case["file"],
        record=None,
        content=(PAGES / case["file"]).read_bytes(),
        kind="html",
        declared=Declared(url=case.get("url")),
    )
    doc = clean(raw)
    return f"{getattr(doc, 'title', None) or ''}\n\n{getattr(doc, 'text', '')}"


@dataclass
class LineTally:
    """Line-level figures against the line labels (data/page_lines), summed over pages."""

    article_kept: float = 0.0
    article_total: float = 0.0
    furniture_dropped: float = 0.0
    furniture_total: float = 0.0
    furniture_lines_dropped: int = 0
    furniture_lines: int = 0
    titles: int = 0
    pages: int = 0
    # per page, the share of its article lines kept, summed (its mean weighs every page alike, as
    # the strings of cases.jsonl do; the character shares weigh the long pages)
    article_line_shares: float = 0.0
    article_pages: int = 0

    def add(self, page: Page, keep: tuple[bool, ...], title_index: int | None) -> None:
        out = np.array(keep, dtype=bool)
        if title_index is not None:
            out[title_index] = True
        chars = np.array([len(line.text) for line in page.page.lines], dtype=float)
        article = page.labels > 0
        self.article_kept += chars[article & out].sum()
        self.article_total += chars[article].sum()
        self.furniture_dropped += chars[~article & ~out].sum()
        self.furniture_total += chars[~article].sum()
        self.furniture_lines_dropped += int((~article & ~out).sum())
        self.furniture_lines += int((~article).sum())
        labelled = {page.page.lines[i].key for i in np.flatnonzero(page.labels == 2)}
        self.titles += title_index is not None and page.page.lines[title_index].key in labelled
        self.pages += 1
        if article.any():
            self.article_line_shares += float((article & out).sum() / article.sum())
            self.article_pages += 1

    def row(self, label: str) -> str:
        return (
            f"{label:<52} article chars kept {self.article_kept / self.article_total:.4f}"
            f"  furniture chars dropped {self.furniture_dropped / self.furniture_total:.4f}"
            f"  furniture lines dropped {self.furniture_lines_dropped / self.furniture_lines:.4f}"
            f"  headline right {self.titles}/{self.pages}"
            f"  article lines kept, mean per page {self.article_line_shares / max(self.article_pages, 1):.4f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-html", action="store_true", help="skip the HTML path")
    parser.add_argument(
        "--lines-only",
        action="store_true",
        help="line-level figures only (against data/page_lines): the with/without strings of "
        "cases.jsonl are not read; this is what choices are made on",
    )
    parser.add_argument("--verbose", action="store_true", help="list the strings each path fails")
    args = parser.parse_args()
    cases = {} if args.lines_only else load_cases()
    pages = load_pages()
    texts = {p.name: (PAGES / f"{p.name}.txt").read_text(encoding="utf-8") for p in pages}
    print(f"pages {len(pages)}, lines {sum(len(p.labels) for p in pages)}")

    rules, rules_lines = Tally(), LineTally()
    for p in pages:
        rules_lines.add(p, p.page.keep, p.page.title_index)
        if not args.lines_only:
            result = strip_boilerplate(texts[p.name], p.lang, learned=False)
            add(rules, cases[p.name], joined(result))
    print(rules_lines.row("rules, lines"))
    if not args.lines_only:
        print(rules.row("rules (written on these pages)"))

    began = time.perf_counter()
    learned, html, html_model = Tally(), Tally(), Tally()
    learned_lines = LineTally()
    folds = {p.name: fold_of(p.name, K) for p in pages}
    held_out: dict[str, np.ndarray] = {}
    for k in range(K):
        train: list[Page] = [p for p in pages if folds[p.name] != k]
        bundle = fit_bundle(train)
        for p in pages:
            if folds[p.name] != k:
                continue
            decision = decide_with(bundle, p.page)
            held_out[p.name] = probabilities(bundle, p.page)
            learned_lines.add(p, decision.keep, decision.title_index)
            if args.lines_only:
                continue
            add(learned, cases[p.name], joined(assemble(p.page, decision.keep, decision.title_index)))
            if args.no_html:
                continue
            case = cases[p.name]
            add(html, case, html_text(case), text_path=False)
            source = (
                (PAGES / case["file"])
                .read_bytes()
                .decode(case.get("html_encoding") or "utf-8", "replace")
            )
            content = extract_html(source, case.get("url"))
            extracted = read_lines(content.text, p.lang)
            if extracted.lines:
                found = decide_with(bundle, extracted)
                body = assemble(extracted, found.keep, None).text
            else:
                body = ""
            add(html_model, case, f"{content.title or ''}\n\n{body}", text_path=False)
    print(
        learned_lines.row("learned, cross-validated, lines")
        + f"  [{time.perf_counter() - began:.0f} s]"
    )
    # The keep threshold on the held-out probabilities (how THRESHOLD was chosen).
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        tally = LineTally()
        for p in pages:
            found = decision_at(p.page, held_out[p.name], threshold, bundle["title_threshold"])
            tally.add(p, found.keep, found.title_index)
        print(tally.row(f"  held-out, threshold {threshold}"))
    if args.lines_only:
        return
    print(learned.row("learned, cross-validated by page (5 folds)"))

    if available():
        shipped = Tally()
        for p in pages:
            add(shipped, cases[p.name], joined(strip_boilerplate(texts[p.name], p.lang)))
        print(shipped.row("learned, shipped bundle (its training pages)"))
    if not args.no_html:
        print(html.row("html: veille.clean (trafilatura + cue tables)"))
        print(html_model.row("html + cross-validated line model"))

    for label, learned_flag in (("rules", False), ("learned", True)):
        if learned_flag and not available():
            continue
        for p in pages:  # warm-up: tables, model
            strip_boilerplate(texts[p.name], p.lang, learned=learned_flag)
        best = float("inf")
        for _ in range(3):
            began = time.perf_counter()
            for p in pages:
                strip_boilerplate(texts[p.name], p.lang, learned=learned_flag)
            best = min(best, time.perf_counter() - began)
        print(f"time per page, {label}: {1000 * best / len(pages):.1f} ms (best of 3)")

    if args.verbose:
        for label, tally in (("rules", rules), ("learned (CV)", learned)):
            print(f"== {label}")
            for miss in tally.misses:
                print("   ", miss)


if __name__ == "__main__":
    main()
