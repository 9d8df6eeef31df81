"""``--coder`` on the CLI and ``coder`` in the API choose the coder; rules stays the baseline."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from veille.pipeline import extract_events

TEXT = ("Le ministre japonais des Affaires étrangères a rencontré lundi à Tokyo son homologue sud-coréen. "
        "Les deux pays ont signé un accord de coopération militaire.")


@pytest.mark.parametrize("coder", ["rules", "learned"])
def test_extract_events_with_each_coder(coder: str):
    document, events = extract_events(TEXT, lang="fr", date="2022-01-07", coder=coder)
    assert events, coder
    for e in events:
        assert e["text_info"]["text"] == document.text[e["text_info"]["start"]:e["text_info"]["end"]]
        assert e["factuality"] in ("asserted", "future", "hypothetical", "negated", "reported")


def test_cli_coder_flag(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(TEXT, encoding="utf-8")
    out = {}
    for coder in ("rules", "learned"):
        run = subprocess.run([sys.executable, "-m", "veille.cli", "extract", str(report), "--lang", "fr", "--coder", coder],
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        out[coder] = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
        assert out[coder], coder
    bad = subprocess.run([sys.executable, "-m", "veille.cli", "extract", str(report), "--coder", "neural"],
                         capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "rules" in bad.stderr
