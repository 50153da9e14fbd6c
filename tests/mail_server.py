"""A real SMTP server for tests (aiosmtpd on 127.0.0.1, in a thread) and the outbox folder, as
fixtures: `smtp` configures the app to send through the server and collects what arrives,
`outbox` configures it to write .eml files instead. Registered in tests/conftest.py."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask


@dataclass
class Collector:
    """aiosmtpd handler: keeps every message; refuses the recipients listed in `refuse`."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    # hold_after(n): the message after the n-th is kept waiting at its RCPT until `release` is
    # set, and then refused for now (451): a sender caught in the middle of a batch.
    hold_at: int | None = None
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def hold_after(self, n: int) -> None:
        self.hold_at = n

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802 (aiosmtpd)
                          rcpt_options: list[str]) -> str:
        if self.hold_at is not None and len(self.messages) == self.hold_at:
            self.hold_at = None  # once
            self.held.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 120)
            return "451 4.3.0 Try again later"
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd)
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp(app: Flask) -> Iterator[Collector]:
    """An SMTP server on 127.0.0.1 in a thread, and the app configured to send through it."""
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_TLS="none",
                      SMTP_FROM="gielda@tczew.example.org")
    try:
        yield collector
    finally:
        controller.stop()


@pytest.fixture
def outbox(app: Flask, tmp_path: Path) -> Path:
    folder = tmp_path / "outbox"
    app.config.update(SMTP_HOST=None, OUTBOX_DIR=str(folder))
    return folder


def read_eml(path: Path) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(message, EmailMessage)
    return message
