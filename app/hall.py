"""Serving the fair to the hall from one laptop: what `python -m app` (`make run`, `make hall`)
prints when it starts — the address phones open and its QR code in the terminal, each fair's
organiser's console, or plainly why phones cannot reach this server.

`python -m app.hall --port 5000` prints the URL `make hall` exports as PUBLIC_URL: PUBLIC_URL
itself when set, else this laptop's address in the local network (a warning on stderr when that
is a loopback one)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from flask import Flask

from app.core.web.public_address import (
    hall_url,
    is_loopback_host,
    is_loopback_url,
    lan_address,
    public_url_for,
    terminal_qr,
)
from app.fairs.queries import all_fairs

MAX_FAIRS_LISTED = 5
EVERY_INTERFACE = ("0.0.0.0", "::", "")  # HOST values that listen on the hall's network too


def phones_url(app: Flask, host: str, port: int) -> str:
    """The base URL QR codes carry: PUBLIC_URL, else this laptop's LAN address when listening on
    every interface, else the address listened on."""
    configured = app.config.get("PUBLIC_URL")
    if configured:
        return str(configured).rstrip("/")
    if host in EVERY_INTERFACE:
        address = lan_address()
        return hall_url(address or "127.0.0.1", port)
    return hall_url(host, port)


def announce(app: Flask, host: str, port: int, out: TextIO | None = None) -> None:
    """Print where phones reach the fair (with a QR code) and where the organiser's console is."""
    out = out or sys.stdout
    base = phones_url(app, host, port)
    if host not in EVERY_INTERFACE and is_loopback_host(host):
        out.write(f" * Listening on {host} only: phones cannot connect. To serve the fair to the hall's Wi-Fi: "
                  "make hall\n")
    elif is_loopback_url(base):
        out.write(f" * WARNING: QR codes will point to {base}, an address of this computer only: no phone can "
                  "open them. Join the hall's Wi-Fi and start again, or set PUBLIC_URL.\n")
    else:
        out.write(f" * Phones open: {base}\n{terminal_qr(base)}")
        if not app.config.get("PUBLIC_URL"):
            out.write(" * PUBLIC_URL is not set: QR codes carry the address the organiser's browser uses. "
                      f"Open the console at {base}, not at localhost.\n")
    with app.app_context():
        fairs = all_fairs()
    for fair in fairs[:MAX_FAIRS_LISTED]:
        if fair.is_network:
            out.write(f" * The network between fairs ({fair.name}), its coordinators: "
                      f"{base}/f/{fair.slug}/admin/network/fairs\n")
        else:
            out.write(f" * Organiser's console ({fair.name}): {base}/f/{fair.slug}/admin/control\n")
    out.flush()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print the URL phones in the hall open (PUBLIC_URL for make hall).")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "5000")))
    args = parser.parse_args(argv)
    url, warning = public_url_for(args.port, os.environ.get("PUBLIC_URL"))
    if warning:
        print(f"WARNING: {warning}", file=sys.stderr)
    print(url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
