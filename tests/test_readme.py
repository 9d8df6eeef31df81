"""The README's "Then explore" commands, run as written (docs are a tested contract).

Each line of that block runs from the repository root; only the store and the export folder
are moved into a temporary folder so that the test leaves the checkout clean. `veille serve`
is started, asked for /api/summary, and stopped.
"""

from __future__ import annotations

import json
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VEILLE = str(Path(sys.executable).parent / "veille")


def explore_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("Then explore", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    lines = [re.sub(r"\s+#.*$", "", line).strip() for line in block.splitlines()]
    return [line for line in lines if line.startswith("veille ")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_readme_explore_commands_run_as_written(tmp_path: Path) -> None:
    commands = explore_commands()
    assert len(commands) >= 9 and commands[0].startswith("veille ingest")
    for line in commands:
        args = shlex.split(line)[1:]
        args = [str(tmp_path / "reports.duckdb") if a == "reports.duckdb" else
                str(tmp_path / "out") if a == "out/" else a for a in args]
        if args[0] == "serve":
            port = _free_port()
            args[args.index("--port") + 1] = str(port)
            proc = subprocess.Popen([VEILLE, *args], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            try:
                deadline = time.monotonic() + 60
                while True:
                    try:
                        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/summary", timeout=5) as resp:
                            assert json.loads(resp.read())["documents"] > 0
                            break
                    except OSError:
                        assert time.monotonic() < deadline, f"{line}: the server did not answer"
                        time.sleep(0.2)
            finally:
                proc.terminate()
                proc.wait(timeout=10)
            continue
        result = subprocess.run([VEILLE, *args], cwd=REPO, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, f"{line}\n{result.stderr[-2000:]}"
        if args[0] in ("extract", "clean", "documents", "evaluate"):
            assert result.stdout.strip(), f"{line} printed nothing"
    assert (tmp_path / "out").is_dir() and any((tmp_path / "out").iterdir())
