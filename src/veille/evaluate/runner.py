"""Run the whole pipeline over a gold file and score it (the ``veille evaluate`` command).

Each gold report goes through the same path as any input (header, cleaning, language
id, dating, coding): nothing from the gold annotation is given to it except the text and
the publication date (metadata a JSON Lines input would carry, needed to date events).
"""

from __future__ import annotations

from pathlib import Path

from veille.evaluate.score import GoldDoc, Scores, format_per_type, format_table, load_gold, score
from veille.output import event_dict
from veille.pipeline import PipelineOptions, process
from veille.records import Declared, RawDocument


def raw_documents(gold: list[GoldDoc]) -> list[RawDocument]:
    """The gold reports as inputs: text, id and publication date, nothing of the annotation."""
    return [
        RawDocument(source=doc.file or doc.id, record=None, content=doc.text, kind="text",
                    declared=Declared(id=doc.id,
                                      date=doc.published.isoformat() if doc.published else None))
        for doc in gold
    ]


def predict(gold: list[GoldDoc], options: PipelineOptions = PipelineOptions()) -> list[dict]:
    """Contract records for every gold report, with ``doc_id`` = the gold id."""
    raws = raw_documents(gold)
    predictions: list[dict] = []
    for start in range(0, len(raws), options.batch_size):
        result = process(raws[start:start + options.batch_size], options)
        by_id = {d.id: d for d in result.documents}
        predictions.extend(event_dict(e, by_id[e.doc_id]) for e in result.events)
    return predictions


def evaluate_file(path: Path, shared_root: Path | None = None,
                  options: PipelineOptions = PipelineOptions()) -> tuple[Scores, str]:
    gold = load_gold(path, shared_root)
    scores = score(gold, predict(gold, options))
    return scores, format_table(scores) + "\n\nper type (all languages)\n" + format_per_type(scores)
