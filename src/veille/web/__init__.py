"""web stage: REST API and dashboard over a store (FastAPI + static files).

``create_app(store_path)`` builds the application; ``serve`` runs it with uvicorn
(the ``veille serve STORE`` command).
"""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

from veille.web.app import create_app

__all__ = ["create_app", "is_loopback", "serve"]


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(store_path: str | Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the API and dashboard for ``store_path`` until interrupted."""
    import uvicorn

    if not is_loopback(host):
        print(
            f"warning: serving on {host}, reachable from other machines; the API has no authentication"
            " and /api/extract runs the coder on any text posted to it. Use --host 127.0.0.1 to keep it local.",
            file=sys.stderr,
        )
    if not Path(store_path).exists():
        print(
            f"warning: no store at {store_path} yet; the API answers 503 until one is created",
            file=sys.stderr,
        )
    uvicorn.run(create_app(store_path), host=host, port=port, log_level="info")
