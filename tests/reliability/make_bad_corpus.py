"""Regenerate the small hostile corpus in tests/data/bad/ (run from the repository root).

Big inputs (200 MB lines, 100k nested tags, gzip bombs) are not stored: the tests build
them in tmp. Usage: .venv/bin/python tests/reliability/make_bad_corpus.py
"""
import gzip
import io
import json
import zipfile
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

bad = Path("tests/data/bad")
fr = ("Le ministre français des Affaires étrangères a rencontré lundi à Paris son homologue "
      "allemand pour discuter de la crise énergétique et des sanctions contre la Russie. "
      "Les deux responsables ont appelé à une réponse européenne commune.")
en = ("The French foreign minister met his German counterpart in Paris on Monday to discuss the "
      "energy crisis and sanctions against Russia. Both officials called for a common European response.")
(bad / "empty.txt").write_bytes(b"")
(bad / "blank.txt").write_bytes(b"   \n\n\t  \n")
(bad / "report.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
(bad / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" + bytes(range(256)))
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("article.txt", fr)
(bad / "archive.zip").write_bytes(buf.getvalue())
# a .txt that is really a PNG (binary disguised by its name)
(bad / "disguised.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 2)
(bad / "random.bin").write_bytes(bytes((i * 7919 + 13) % 256 for i in range(3000)))
full = gzip.compress(((fr + "\n") * 50).encode())
(bad / "truncated.txt.gz").write_bytes(full[: len(full) // 2])
jl = gzip.compress(
    "".join(json.dumps({"id": f"t{i}", "text": f"{fr} Numéro {i}."}, ensure_ascii=False) + "\n" for i in range(40)).encode())
(bad / "truncated.jsonl.gz").write_bytes(jl[: int(len(jl) * 0.6)])
(bad / "cp1252.txt").write_bytes(("date 2022-03-01\n« L’été » : " + fr + " Coût : 5 €.").encode("cp1252"))
(bad / "latin1.txt").write_bytes(("date 2022-03-02\nÀ Genève, " + fr).encode("latin-1"))
(bad / "utf16-bom.txt").write_bytes(("date 2022-03-03\nÀ Bruxelles, " + fr).encode("utf-16"))
(bad / "utf16le-nobom.txt").write_bytes(("date 2022-03-04\nÀ Madrid, " + fr).encode("utf-16-le"))
(bad / "utf16be-nobom.txt").write_bytes(("date 2022-03-05\nÀ Rome, " + fr).encode("utf-16-be"))
(bad / "mojibake.txt").write_bytes(("date 2022-03-06\nÀ Varsovie, " + fr).encode("utf-8").decode("latin-1").encode("utf-8"))
lines = [json.dumps({"id": "good-1", "text": "À Berlin, " + fr}, ensure_ascii=False),
         '{"id": "broken", "text": "unterminated string',
         json.dumps({"id": "good-2", "text": "In London, " + en}),
         "[1, 2, 3]",
         json.dumps({"id": "no-text", "title": "nothing here"}),
         json.dumps({"id": "good-3", "text": "À Lisbonne, " + fr, "date": "2022-13"}, ensure_ascii=False)]
(bad / "one-broken-line.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
(bad / "impossible-date.txt").write_text("date 2022-13 https://example.org/a\nÀ Vienne, " + fr + "\n", encoding="utf-8")
(bad / "impossible-day.txt").write_text("date 2022-02-30\nÀ Prague, " + fr + "\n", encoding="utf-8")
(bad / "german.txt").write_text(
    "Der französische Außenminister hat am Montag in Paris seinen deutschen Amtskollegen getroffen, "
    "um über die Energiekrise und die Sanktionen gegen Russland zu sprechen. Beide forderten eine "
    "gemeinsame europäische Antwort auf die Krise.\n", encoding="utf-8")
(bad / "russian.txt").write_text(
    "Министр иностранных дел Франции в понедельник встретился в Париже со своим немецким коллегой, "
    "чтобы обсудить энергетический кризис и санкции против России. Оба призвали к общему европейскому ответу.\n",
    encoding="utf-8")
(bad / "zero-width-names.txt").write_text(
    "date 2022-03-07\nEmmanuel\u200b Ma\u200ccron a rencontré Olaf\u00ad Scholz\u2060 et Vladi\u202emir Pou\u202ctine "
    "à Paris\x07 lundi\x00 pour discuter\x1b de la crise énergétique. " + fr + "\n", encoding="utf-8")
(bad / "html-junk.html").write_text("<html><body><div><p>" + "<<<>>>&&&;;" * 20 + "</div></span></html>", encoding="utf-8")

# -- WARC archives: three pages, cut at 80 %, plain and gzip-per-record --


def page(i):
    return (f"<html lang='fr'><head><title>Article {i}</title></head><body><article><h1>Article {i}</h1>"
            + "".join(f"<p>Le ministre des Affaires étrangères a rencontré son homologue à Paris pour la {i}e fois, "
                      f"paragraphe {j}, afin de discuter de la crise et des sanctions.</p>" for j in range(4))
            + "</article></body></html>").encode()
def warc(gz):
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    for i in range(3):
        body = page(i)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(f"https://example.org/a{i}", "response",
                       payload=io.BytesIO(body), http_headers=http))
    return buf.getvalue()
raw = warc(False)
(bad / "truncated.warc").write_bytes(raw[: int(len(raw) * 0.8)])
gz = warc(True)
(bad / "truncated.warc.gz").write_bytes(gz[: int(len(gz) * 0.8)])
(bad / "garbage.warc").write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999999\r\n\r\nnot really")
