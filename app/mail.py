"""Outgoing e-mail: through SMTP when SMTP_HOST is configured, otherwise written as .eml files
to the outbox folder (OUTBOX_DIR, instance/outbox/ by default) for someone to send or inspect.

Only the standard library: smtplib and email.message.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any, Protocol

from app.db import utcnow

DEFAULT_FROM = "gielda@gielda.local"  # set SMTP_FROM in production
SMTP_TIMEOUT = 20  # seconds, per network operation


class MailError(Exception):
    """This one message was not sent (refused, or its address is unusable)."""


class MailConnectionError(MailError):
    """The mail server cannot be reached or refused us: no message can be sent now."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None
    password: str | None
    security: str  # "starttls" | "ssl" | "none"


def smtp_settings(config: Mapping[str, Any]) -> SmtpSettings | None:
    """SMTP settings from the app config, or None when mail goes to the outbox folder."""
    host = config.get("SMTP_HOST")
    if not host:
        return None
    security = str(config.get("SMTP_TLS") or "starttls").strip().lower()
    security = {"1": "starttls", "true": "starttls", "yes": "starttls", "tls": "ssl",
                "0": "none", "false": "none", "no": "none", "off": "none"}.get(security, security)
    if security not in ("starttls", "ssl", "none"):
        raise ValueError(f"SMTP_TLS must be starttls, ssl or none, not {security!r}")
    default_port = {"ssl": 465, "starttls": 587, "none": 25}[security]
    return SmtpSettings(host=str(host), port=int(config.get("SMTP_PORT") or default_port),
                        user=config.get("SMTP_USER") or None, password=config.get("SMTP_PASSWORD") or None,
                        security=security)


def sender(config: Mapping[str, Any]) -> str:
    return str(config.get("SMTP_FROM") or DEFAULT_FROM)


def parse_address(addr_spec: str, name: str = "") -> Address:
    """An address with its display name; MailError when the address cannot be used."""
    try:
        address = Address(display_name=name, addr_spec=addr_spec.strip())
    except (ValueError, IndexError) as err:
        raise MailError(f"not an e-mail address: {addr_spec!r}") from err
    if not address.username or "." not in address.domain:
        raise MailError(f"not an e-mail address: {addr_spec!r}")
    return address


def new_message_id(config: Mapping[str, Any]) -> str:
    domain = sender(config).rpartition("@")[2] or "localhost"
    return make_msgid(domain=domain)


def build_message(*, config: Mapping[str, Any], to: Address, subject: str, body: str,
                  message_id: str, from_name: str = "", reply_to: str | None = None) -> EmailMessage:
    """A plain-text UTF-8 message; header words with Polish letters are encoded as RFC 2047 needs."""
    message = EmailMessage()
    message["From"] = parse_address(sender(config), from_name)
    message["To"] = to
    if reply_to:
        message["Reply-To"] = parse_address(reply_to)
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = message_id
    message.set_content(body, charset="utf-8", cte="quoted-printable")  # 7-bit safe on any server
    return message


class Transport(Protocol):
    name: str

    def send(self, message: EmailMessage) -> None: ...


class SmtpTransport:
    name = "smtp"

    def __init__(self, connection: smtplib.SMTP) -> None:
        self.connection = connection

    def send(self, message: EmailMessage) -> None:
        try:
            self.connection.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError,
                smtplib.SMTPNotSupportedError) as err:
            raise MailError(_describe(err)) from err
        except (smtplib.SMTPException, OSError) as err:
            raise MailConnectionError(_describe(err)) from err


class OutboxTransport:
    """Writes each message to <outbox>/<time>-<message id>.eml, complete before it appears."""

    name = "outbox"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage) -> None:
        stamp = utcnow().strftime("%Y%m%dT%H%M%S")
        local = str(message["Message-ID"]).strip("<>").split("@")[0]
        name = f"{stamp}-{''.join(c for c in local if c.isalnum() or c in '.-_')[:60]}.eml"
        try:
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".part")
            with os.fdopen(fd, "wb") as fh:
                fh.write(message.as_bytes())
            os.replace(tmp, self.folder / name)
        except OSError as err:
            raise MailConnectionError(f"cannot write to the outbox {self.folder}: {err}") from err


def _describe(err: BaseException) -> str:
    if isinstance(err, smtplib.SMTPResponseException):
        text = err.smtp_error.decode("utf-8", "replace") if isinstance(err.smtp_error, bytes) else str(err.smtp_error)
        return f"{err.smtp_code} {text}"
    if isinstance(err, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{rcpt}: {code} {msg.decode('utf-8', 'replace')}"
                         for rcpt, (code, msg) in err.recipients.items())
    return f"{type(err).__name__}: {err}" if str(err) else type(err).__name__


@contextmanager
def open_transport(config: Mapping[str, Any], outbox: Path) -> Iterator[Transport]:
    """A connected SMTP transport, or the outbox folder; MailConnectionError when neither works."""
    settings = smtp_settings(config)
    if settings is None:
        try:
            outbox.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise MailConnectionError(f"cannot create the outbox {outbox}: {err}") from err
        yield OutboxTransport(outbox)
        return
    connection: smtplib.SMTP | None = None
    try:
        if settings.security == "ssl":
            connection = smtplib.SMTP_SSL(settings.host, settings.port, timeout=SMTP_TIMEOUT,
                                          context=ssl.create_default_context())
        else:
            connection = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT)
            if settings.security == "starttls":
                connection.starttls(context=ssl.create_default_context())
        if settings.user:
            connection.login(settings.user, settings.password or "")
    except (smtplib.SMTPException, OSError) as err:
        if connection is not None:
            connection.close()
        raise MailConnectionError(f"{settings.host}:{settings.port}: {_describe(err)}") from err
    try:
        yield SmtpTransport(connection)
    finally:
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()
