"""Outgoing e-mail: through SMTP when SMTP_HOST is configured, otherwise written as .eml files
to the outbox folder (OUTBOX_DIR, instance/outbox/ by default) for someone to send or inspect.

Who receives a message is never read back from its headers: the caller names the recipients,
the SMTP envelope (MAIL FROM, RCPT TO) is given explicitly, and before anything leaves — over
SMTP or into the outbox — the written message is parsed back and must name exactly those
recipients, so that no display name a user typed (a contact name with quotes, commas or line
breaks) can add one. Display names and subjects are cleaned of control characters.

Only the standard library: smtplib and email.message.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import tempfile
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any, Protocol

from app.core.storage.db import utcnow

DEFAULT_FROM = "gielda@gielda.local"  # set SMTP_FROM in production
SMTP_TIMEOUT = 20  # seconds, per network operation
MAX_DISPLAY_NAME = 200
MAX_SUBJECT = 300
RECIPIENT_HEADERS = ("To", "Cc", "Bcc", "Resent-To", "Resent-Cc", "Resent-Bcc")


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


def header_text(text: str, limit: int) -> str:
    """Text for one header line: line breaks, tabs and other control characters become spaces,
    invisible formatting characters (bidirectional overrides, zero-width joiners) go, runs of
    spaces are collapsed, and the result is cut to `limit` characters."""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp") or char.isspace():
            kept.append(" ")
        elif category not in ("Cf", "Cs", "Co", "Cn"):
            kept.append(char)
    return " ".join("".join(kept).split())[:limit].strip()


def parse_address(addr_spec: str, name: str = "") -> Address:
    """One plain address (user@domain, no quoted local part) with a cleaned display name;
    MailError when the address cannot be used. The display name is only ever a name: the
    email package quotes it, and `check_recipients` proves it adds no recipient."""
    spec = addr_spec.strip()
    try:
        address = Address(display_name=header_text(name, MAX_DISPLAY_NAME), addr_spec=spec)
    except (ValueError, IndexError) as err:
        raise MailError(f"not an e-mail address: {addr_spec!r}") from err
    if (not address.username or "." not in address.domain or address.addr_spec != spec
            or any(c in spec for c in '"\\(),;:<>[] ')):
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
    message["Subject"] = header_text(subject, MAX_SUBJECT)
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = message_id
    message.set_content(body, charset="utf-8", cte="quoted-printable")  # 7-bit safe on any server
    return message


def message_recipients(message: EmailMessage) -> list[str]:
    """Every address the message's headers name as a recipient, as a mail program reading the
    written message back would find them."""
    parsed = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
    found: list[str] = []
    for header in RECIPIENT_HEADERS:
        for value in parsed.get_all(header) or ():
            groups = getattr(value, "groups", None)
            if groups is None:  # not parsed as an address list: refuse, never guess
                raise MailError(f"the {header} header is not a list of addresses")
            found.extend(address.addr_spec for group in groups for address in group.addresses)
    return found


def check_recipients(message: EmailMessage, recipients: Sequence[Address]) -> list[str]:
    """The envelope recipients (addr-specs); MailError unless the headers name exactly them."""
    wanted = [address.addr_spec for address in recipients]
    if not wanted:
        raise MailError("a message needs a recipient")
    named = message_recipients(message)
    if sorted(named) != sorted(wanted):
        raise MailError(f"the headers name {named!r}, not the recipients {wanted!r}: not sent")
    return wanted


class Transport(Protocol):
    name: str

    def send(self, message: EmailMessage, recipients: Sequence[Address]) -> None: ...


class SmtpTransport:
    """Sends with an explicit envelope: MAIL FROM the configured sender, RCPT TO exactly the
    recipients given (smtplib would otherwise read them back from the headers)."""

    name = "smtp"

    def __init__(self, connection: smtplib.SMTP, envelope_from: str) -> None:
        self.connection = connection
        self.envelope_from = envelope_from

    def send(self, message: EmailMessage, recipients: Sequence[Address]) -> None:
        to_addrs = check_recipients(message, recipients)
        try:
            self.connection.send_message(message, from_addr=self.envelope_from, to_addrs=to_addrs)
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

    def send(self, message: EmailMessage, recipients: Sequence[Address]) -> None:
        check_recipients(message, recipients)  # whoever sends the file on sends it to them only
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
    try:
        envelope_from = parse_address(sender(config)).addr_spec
    except MailError as err:
        raise MailConnectionError(f"SMTP_FROM: {err}") from err
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
        yield SmtpTransport(connection, envelope_from)
    finally:
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()
