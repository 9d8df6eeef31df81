"""``scripts/train.py``'s parse cache: a split that gained reports re-parses only the new ones, and a
report whose text changed is parsed again."""

from __future__ import annotations

from veille.learned.data import SilverReport, parsed


def _report(n: int, text: str | None = None) -> SilverReport:
    return SilverReport(f"r{n}", "en", text or f"Report {n}: Russia attacked Ukraine.", None, ())


def _parse(reports, cache, monkeypatch) -> tuple[list[str], list[str]]:
    """(texts of the docs returned, texts spaCy was asked to parse)."""
    asked: list[str] = []
    from veille.nlp import load

    nlp = load("en")
    real = nlp.pipe

    def counting(texts, **kw):
        texts = list(texts)
        asked.extend(texts)
        return real(texts, **kw)

    monkeypatch.setattr(nlp, "pipe", counting)
    docs = [doc.text for _r, doc in parsed(reports, "en", cache)]
    return docs, asked


def test_only_new_or_changed_reports_are_parsed_again(tmp_path, monkeypatch):
    first = [_report(1), _report(2)]
    docs, asked = _parse(first, tmp_path, monkeypatch)
    assert docs == [r.text for r in first] and len(asked) == 2
    docs, asked = _parse(first, tmp_path, monkeypatch)  # the same split: read back whole
    assert docs == [r.text for r in first] and asked == []
    grown = [_report(1), _report(3), _report(2, "Report 2, edited: China condemned the move.")]
    docs, asked = _parse(grown, tmp_path, monkeypatch)
    assert docs == [r.text for r in grown]
    assert asked == [grown[1].text, grown[2].text]
