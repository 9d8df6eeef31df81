"""Code one text and print its events (a tuning aid). Usage: try.py LANG "text" [PUBLISHED]"""
import sys

from veille.pipeline import extract_events

doc, events = extract_events(sys.argv[2], lang=sys.argv[1], date=sys.argv[3] if len(sys.argv) > 3 else None)
for e in events:
    print(e["event"][0], [a["code"] for a in e["actor"]], [a["code"] for a in e["recipient"]], e["factuality"],
          e["date"], e["text_info"]["trigger"], e["confidence"])
