"""Helpers shared by the reliability tests: run the real CLI, generate corpora, read stores.

Everything big is generated at test time under pytest's tmp_path; nothing is loaded at import.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]
BAD = REPO / "tests" / "data" / "bad"
CORPUS_FR = Path("/work/shared/corpus/news/fr")
VEILLE = Path(sys.executable).parent / "veille"
#: The pipeline's batch size (documents per transaction), see veille.pipeline.BATCH_DOCS.
BATCH = 64

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«])")
_FALLBACK = [
    "Le ministre des Affaires étrangères a rencontré son homologue allemand lundi à Paris.",
    "Les deux responsables ont appelé à une réponse européenne commune face à la crise énergétique.",
    "Le gouvernement a annoncé de nouvelles sanctions contre plusieurs entreprises russes.",
    "Des milliers de manifestants se sont rassemblés samedi devant le Parlement pour protester.",
    "L'Union européenne a promis une aide humanitaire supplémentaire de cinquante millions d'euros.",
]


def veille_cmd(*args: str) -> list[str]:
    return [str(VEILLE), *map(str, args)]


def run_veille(*args: str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    """Run the installed ``veille`` command in a subprocess; text output captured."""
    return subprocess.run(veille_cmd(*args), capture_output=True, text=True, timeout=timeout, **kwargs)


def french_sentences() -> list[str]:
    """Real French news sentences from the shared corpus (a fixed fallback if it is absent)."""
    sentences: list[str] = []
    if CORPUS_FR.is_dir():
        for path in sorted(CORPUS_FR.glob("*.txt")):
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[1:]  # drop header
            for para in lines:
                for sentence in _SENTENCE.split(para.strip()):
                    words = sentence.split()
                    if 10 <= len(words) <= 40 and sentence.endswith("."):
                        sentences.append(sentence)
    return sentences or list(_FALLBACK)


def marker(i: int) -> str:
    return f"dossier{i:06d}"


def make_jsonl(path: Path, n: int, seed: int = 7, per_doc: int = 3) -> Path:
    """``n`` small unique French reports, one JSON line each; report i carries marker(i)."""
    rng = random.Random(seed)
    pool = french_sentences()
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            body = " ".join(rng.choice(pool) for _ in range(per_doc))
            text = f"Selon le {marker(i)} consulté par la rédaction, {body}"
            fh.write(json.dumps({"id": f"doc-{i}", "text": text}, ensure_ascii=False) + "\n")
    return path


def query(store: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def markers_stored(store: Path) -> dict[str, int]:
    """How many stored documents carry each marker."""
    rows = query(store, "SELECT regexp_extract(text, 'dossier[0-9]{6}') AS m, count(*) FROM documents GROUP BY m")
    return {m: c for m, c in rows}


def can_mount() -> bool:
    """True when this process may mount a tmpfs (root with CAP_SYS_ADMIN)."""
    return os.geteuid() == 0 and Path("/proc/self/mounts").exists()



def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """``veille serve`` in a real subprocess on a free loopback port (a context manager)."""

    def __init__(self, store: Path, *args: str, ready_timeout: float = 60) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.cmd = veille_cmd("serve", store, "--port", str(self.port), *args)
        self.ready_timeout = ready_timeout
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Served:
        import socket
        import time

        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"veille serve exited {self.proc.returncode}: {self.proc.stderr.read()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        self.proc.kill()
        raise RuntimeError("veille serve did not start")

    def get(self, path: str, headers: dict | None = None, data: bytes | None = None,
            timeout: float = 60) -> tuple[int, dict, bytes]:
        """(status, headers, body) of one request; HTTP errors are answers, not exceptions."""
        import urllib.error
        import urllib.request

        req = urllib.request.Request(self.url + path, data=data, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def __exit__(self, *exc: object) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
