"""Outgoing e-mail (app/mail.py): who receives a message is what the caller names — never what a
display name typed by a user could smuggle into the headers — over a real SMTP server (aiosmtpd)
and in the outbox folder alike."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import Flask

from app.core.output.mail import (
    MailError,
    build_message,
    check_recipients,
    header_text,
    new_message_id,
    open_transport,
    parse_address,
)
from tests.mail_server import Collector, read_eml

GOOD = "anna@example.org"
# Display names a person could type as their name or an agreement's contact person.
HOSTILE_NAMES = [
    '"Eve, <eve@evil.example>" <x>',
    "a@b.c, evil@x.y",
    "Eve <evil@x.y>, Bob",
    'Zoë \\" , <evil@x.y>; Cc: evil@x.y',
    "Eve\r\nBcc: evil@x.y",
    "Eve\nCc: evil@x.y",
    "Eve\u2028Bcc: evil@x.y",
    "(comment) evil@x.y",
    "=?utf-8?q?evil=40x=2Ey?= <evil@x.y>",
]


def _message(app: Flask, name: str, to: Address | None = None) -> tuple[EmailMessage, Address]:
    to = to or parse_address(GOOD, name)
    message = build_message(config=app.config, to=to, subject=f"Umowa\r\nBcc: evil@x.y {name}",
                            body="Treść", message_id=new_message_id(app.config), from_name=name)
    return message, to


def _recipients_in(message: EmailMessage) -> list[str]:
    found = []
    for header in ("To", "Cc", "Bcc", "Resent-To", "Resent-Cc", "Resent-Bcc"):
        for value in message.get_all(header) or ():
            found.extend(a.addr_spec for a in value.addresses)
    return found


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_display_name_adds_no_recipient_over_smtp(app: Flask, smtp: Collector, tmp_path: Path,
                                                            name: str) -> None:
    message, to = _message(app, name)
    with open_transport(app.config, tmp_path) as transport:
        transport.send(message, [to])
    assert smtp.envelopes == [("gielda@tczew.example.org", [GOOD])]
    (received,) = smtp.messages
    assert _recipients_in(received) == [GOOD]
    (address,) = received["To"].addresses
    assert address.addr_spec == GOOD and "evil" in address.display_name + received["From"].addresses[0].display_name
    assert received["Bcc"] is None and received["Cc"] is None
    assert "\n" not in str(received["Subject"]) and "\r" not in str(received["Subject"])


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_display_name_adds_no_recipient_in_the_outbox(app: Flask, outbox: Path, name: str) -> None:
    message, to = _message(app, name)
    with open_transport(app.config, outbox) as transport:
        transport.send(message, [to])
    (eml,) = outbox.glob("*.eml")
    written = read_eml(eml)
    assert _recipients_in(written) == [GOOD]
    (address,) = written["To"].addresses
    if "=?" not in name:  # (a reader decodes what looks like an encoded word; it stays a name)
        assert address.display_name == header_text(name, 200)
    raw = eml.read_bytes()
    header_block = raw.split(b"\r\n\r\n", 1)[0] if b"\r\n\r\n" in raw else raw.split(b"\n\n", 1)[0]
    header_names = [line.split(b":", 1)[0].lower() for line in header_block.splitlines()
                    if line and not line[:1].isspace()]
    assert b"bcc" not in header_names and b"cc" not in header_names


def test_headers_naming_someone_else_are_refused_before_anything_leaves(app: Flask, smtp: Collector,
                                                                         tmp_path: Path) -> None:
    """The last guard: a message whose headers were built some other way (here a raw To: string
    with two addresses) is not sent, over SMTP or into the outbox."""
    message = EmailMessage()
    message["From"] = "gielda@tczew.example.org"
    message["To"] = f"Anna <{GOOD}>, evil@x.y"
    message["Subject"] = "x"
    message.set_content("x")
    to = parse_address(GOOD, "Anna")
    with open_transport(app.config, tmp_path) as transport, pytest.raises(MailError, match=r"evil@x\.y"):
        transport.send(message, [to])
    assert smtp.envelopes == []

    app.config.update(SMTP_HOST=None)
    folder = tmp_path / "outbox"
    with open_transport(app.config, folder) as transport, pytest.raises(MailError, match=r"evil@x\.y"):
        transport.send(message, [to])
    assert list(folder.iterdir()) == []

    del message["To"]
    message["To"] = to
    message["Bcc"] = "evil@x.y"
    with pytest.raises(MailError):
        check_recipients(message, [to])
    with pytest.raises(MailError, match="recipient"):
        check_recipients(message, [])


def test_header_text_keeps_letters_and_drops_line_breaks_and_invisible_characters() -> None:
    assert header_text("Łucja\r\nBcc: x@y.z\tŻółkiewska", 200) == "Łucja Bcc: x@y.z Żółkiewska"
    assert header_text("Eve\u2028\u2029\x00\x1b[31m\u202eevil\u200b", 200) == "Eve [31mevil"
    assert header_text("  Anna   Nowak  ", 200) == "Anna Nowak"
    assert header_text("a" * 500, 200) == "a" * 200


@pytest.mark.parametrize("spec", ["a@b.c, evil@x.y", "Eve <evil@x.y>", '"a,b"@example.org',
                                  "a@b.c\r\nBcc: evil@x.y", "anna@localhost", "anna", "", "a@b.c;d@e.f",
                                  "(x)anna@example.org"])
def test_only_a_plain_single_address_is_an_address(spec: str) -> None:
    with pytest.raises(MailError):
        parse_address(spec)


def test_a_plain_address_with_polish_letters_in_its_name() -> None:
    address = parse_address(" anna.nowak@example.org ", "Anna Żółkiewska-Nowak")
    assert (address.addr_spec, address.display_name) == ("anna.nowak@example.org", "Anna Żółkiewska-Nowak")
