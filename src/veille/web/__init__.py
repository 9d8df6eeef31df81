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


def serve(store_path: str | Path, host: str = "127.0.0.1", port: int = 8000,
          allow_hosts: tuple[str, ...] = (), extract_timeout: float | None = None) -> None:
    """Serve the API and dashboard for ``store_path`` until interrupted (see veille.web.server).

    Raises AddressInUse when the port cannot be had.
    """
    import uvicorn

    from veille.web.isolate import EXTRACT_TIMEOUT_S
    from veille.web.server import (
        GRACEFUL_S,
        KEEP_ALIVE_S,
        MAX_CONNECTIONS,
        HostCheck,
        StoppingServer,
        TimedH11Protocol,
        bind,
    )

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
    sock = bind(host, port)
    api = create_app(store_path, extract_timeout=extract_timeout or EXTRACT_TIMEOUT_S)
    app = HostCheck(api, allowed=(host, *allow_hosts))
    config = uvicorn.Config(app, log_level="info", http=TimedH11Protocol, limit_concurrency=MAX_CONNECTIONS,
                            timeout_keep_alive=KEEP_ALIVE_S, timeout_graceful_shutdown=GRACEFUL_S,
                            lifespan="on")
    server = StoppingServer(config, on_exit=api.state.isolated_extractor)
    print(f"veille: serving {store_path} on http://{host}:{port} (Ctrl-C stops)", file=sys.stderr)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
