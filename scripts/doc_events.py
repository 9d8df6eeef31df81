"""Code one file and print each sentence with its events (a tuning aid). Usage: doc_events.py FILE [WORD]"""
import sys

from veille.clean import clean
from veille.events import code_events
from veille.nlp import load
from veille.records import RawDocument

path = sys.argv[1]
word = sys.argv[2] if len(sys.argv) > 2 else ""
d = clean(RawDocument(source=path, record=None, content=open(path, "rb").read()))
doc = load(d.lang)(d.text)
events = code_events(d, doc)
for i, s in enumerate(doc.sents):
    if word and word not in s.text:
        continue
    print(f"[{i}] {s.text[:200]!r}")
    for e in events:
        if e.sentence == i:
            print("    ", e.type, [a.code for a in e.actors], [r.code for r in e.recipients], e.factuality, e.trigger)
