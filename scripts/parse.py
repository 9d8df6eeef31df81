"""Print spaCy's parse and the actor mentions of a sentence (a tuning aid). Usage: parse.py LANG "text" """
import sys

from veille.actors import find_actors
from veille.nlp import load

lang, text = sys.argv[1], sys.argv[2]
doc = load(lang)(text)
for t in doc:
    print(f"{t.i:3} {t.text:15} {t.lemma_:15} {t.pos_:6} {t.dep_:12} {t.head.i:3} {t.morph}")
for m in find_actors(doc, lang):
    print("MENTION", m.start, m.end, repr(m.text), m.code, m.kind, "head", m.head)
