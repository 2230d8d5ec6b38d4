"""Distribution against a local SMTP server (aiosmtpd on 127.0.0.1): attachments, retries, no duplicates."""

from __future__ import annotations

import json
import logging
import shutil
import socket
import ssl
import subprocess
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from generator.config import Branding, Config, Recipient, Smtp
from generator.errors import UstWeeklyError
from generator.send import LOG_NAME, send_build

NOW = datetime(2025, 2, 7, 18, 0, tzinfo=UTC)


class Inbox:
    """An aiosmtpd handler that stores messages and can refuse or drop on command."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.refuse_next = 0
        self.drop_next = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd hook)
        if self.refuse_next:
            self.refuse_next -= 1
            return "450 mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd hook)
        if self.drop_next:
            self.drop_next -= 1
            session.transport.close()
            return "421 closing"
        self.messages.append(envelope.original_content)
        return "250 Message accepted"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    with socket.socket() as probe:  # aiosmtpd needs a concrete port to check that it is up
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def build_dir(tmp_path) -> Path:
    folder = tmp_path / "2025-02-07"
    folder.mkdir()
    (folder / "note.pdf").write_bytes(b"%PDF-1.7 bilingual\n")
    (folder / "note-zh.pdf").write_bytes(b"%PDF-1.7 zh\n")
    (folder / "note-en.pdf").write_bytes(b"%PDF-1.7 en\n")
    (folder / "appendix.xlsx").write_bytes(b"PK\x03\x04 appendix")
    manifest = {
        "as_of": "2025-02-07",
        "data": {"demo": False},
        "series": {"ust10y": {"status": "ok"}},
        "editions": {"zh+en": "note.pdf", "zh": "note-zh.pdf", "en": "note-en.pdf"},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def _config(port: int, attempts: int = 3) -> Config:
    return Config(
        smtp=Smtp(host="127.0.0.1", port=port, security="none", sender="desk@example.com", attempts=attempts),
        recipients=(
            Recipient(email="zh@example.com", name="王先生", lang="zh"),
            Recipient(email="en@example.com", name="Ms Smith", lang="en"),
            Recipient(email="both@example.com", lang="zh+en"),
        ),
    )


def _attachments(raw: bytes) -> dict[str, bytes]:
    message = message_from_bytes(raw, policy=policy.default)
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


def test_each_recipient_gets_their_edition_intact(smtp_server, build_dir):
    inbox, port = smtp_server
    outcomes = send_build(build_dir, _config(port), now=NOW, sleep=lambda _: None)
    assert [outcome.status for outcome in outcomes] == ["sent", "sent", "sent"]
    received = {
        message_from_bytes(raw, policy=policy.default)["To"].addresses[0].addr_spec: raw
        for raw in inbox.messages
    }
    assert _attachments(received["zh@example.com"]) == {
        "ust-weekly_2025-02-07_zh.pdf": b"%PDF-1.7 zh\n",
        "ust-weekly_2025-02-07_appendix.xlsx": b"PK\x03\x04 appendix",
    }
    assert _attachments(received["en@example.com"])["ust-weekly_2025-02-07_en.pdf"] == b"%PDF-1.7 en\n"
    assert (
        _attachments(received["both@example.com"])["ust-weekly_2025-02-07_zh-en.pdf"]
        == b"%PDF-1.7 bilingual\n"
    )
    zh_subject = message_from_bytes(received["zh@example.com"], policy=policy.default)["Subject"]
    assert "2025年2月7日" in zh_subject


def test_nothing_is_sent_twice(smtp_server, build_dir):
    inbox, port = smtp_server
    send_build(build_dir, _config(port), now=NOW, sleep=lambda _: None)
    again = send_build(build_dir, _config(port), now=NOW, sleep=lambda _: None)
    assert [outcome.status for outcome in again] == ["skipped", "skipped", "skipped"]
    assert len(inbox.messages) == 3
    lines = (build_dir / LOG_NAME).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert all(json.loads(line)["files"] for line in lines)


def test_refused_recipient_is_retried(smtp_server, build_dir):
    inbox, port = smtp_server
    inbox.refuse_next = 1
    outcomes = send_build(build_dir, _config(port), now=NOW, sleep=lambda _: None)
    assert [outcome.status for outcome in outcomes] == ["sent", "sent", "sent"]
    assert len(inbox.messages) == 3


def test_dropped_connection_is_retried(smtp_server, build_dir):
    inbox, port = smtp_server
    inbox.drop_next = 1
    outcomes = send_build(build_dir, _config(port), now=NOW, sleep=lambda _: None)
    assert [outcome.status for outcome in outcomes] == ["sent", "sent", "sent"]


def test_persistent_refusal_is_reported_and_logged(smtp_server, build_dir):
    inbox, port = smtp_server
    inbox.refuse_next = 2
    outcomes = send_build(build_dir, _config(port, attempts=2), now=NOW, sleep=lambda _: None)
    assert outcomes[0].status == "failed"
    assert "zh@example.com" in outcomes[0].detail
    log = [json.loads(line) for line in (build_dir / LOG_NAME).read_text(encoding="utf-8").splitlines()]
    assert log[0]["status"] == "failed"
    # the failed one goes out on the next run; the others are not repeated
    again = send_build(build_dir, _config(port), now=NOW, sleep=lambda _: None)
    assert [outcome.status for outcome in again] == ["sent", "skipped", "skipped"]


@pytest.fixture
def tls_files(tmp_path):
    """A self-signed certificate for 127.0.0.1, made with the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _send_over_tls(tls_files, build_dir, security: str) -> tuple[list, Inbox]:
    """Send through a local server speaking ``security`` with a self-signed certificate as the CA."""
    cert, key = tls_files
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    port = _free_port()
    server_tls = (
        {"tls_context": context, "require_starttls": True}
        if security == "starttls"
        else {"ssl_context": context}
    )
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **server_tls)
    controller.start()
    try:
        config = _config(port)
        smtp = config.smtp.model_copy(update={"security": security, "ca_file": cert})
        outcomes = send_build(
            build_dir, config.model_copy(update={"smtp": smtp}), now=NOW, sleep=lambda _: None
        )
    finally:
        controller.stop()
    return outcomes, inbox


def test_starttls_with_a_private_ca(tls_files, build_dir):
    outcomes, inbox = _send_over_tls(tls_files, build_dir, "starttls")
    assert [outcome.status for outcome in outcomes] == ["sent", "sent", "sent"]
    assert len(inbox.messages) == 3


def test_ssl_with_a_private_ca(tls_files, build_dir):
    outcomes, _inbox = _send_over_tls(tls_files, build_dir, "ssl")
    assert [outcome.status for outcome in outcomes] == ["sent", "sent", "sent"]


def test_dry_run_writes_eml_files(build_dir):
    outcomes = send_build(build_dir, _config(25), now=NOW, dry_run=True)
    written = sorted(path.name for path in (build_dir / "outbox").iterdir())
    assert written == ["both@example.com.eml", "en@example.com.eml", "zh@example.com.eml"]
    assert all(outcome.status == "written" for outcome in outcomes)
    raw = (build_dir / "outbox" / "en@example.com.eml").read_bytes()
    assert _attachments(raw)["ust-weekly_2025-02-07_en.pdf"] == b"%PDF-1.7 en\n"


def test_demo_and_stale_builds_are_refused(build_dir):
    manifest = json.loads((build_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest["data"]["demo"] = True
    (build_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(UstWeeklyError, match="demo data"):
        send_build(build_dir, _config(25), now=NOW, dry_run=True)
    manifest["data"]["demo"] = False
    manifest["series"]["ust10y"]["status"] = "stale"
    (build_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(UstWeeklyError, match="stale series: ust10y"):
        send_build(build_dir, _config(25), now=NOW, dry_run=True)
    assert send_build(build_dir, _config(25), now=NOW, dry_run=True, allow_stale=True)


# --------------------------------------------------------------------------- message composition


def _message(raw: bytes):
    return message_from_bytes(raw, policy=policy.default)


def _branded(port: int, **fields) -> Config:
    base = _config(port)
    return base.model_copy(
        update={"branding": Branding(desk="Macro Research", desk_zh="宏观经济研究"), **fields}
    )


@pytest.fixture
def outbox(build_dir) -> dict[str, bytes]:
    send_build(build_dir, _branded(25), now=NOW, dry_run=True)
    return {path.stem: path.read_bytes() for path in (build_dir / "outbox").iterdir()}


def test_messages_are_text_and_html_alternatives_with_attachments(outbox):
    for address, raw in outbox.items():
        message = _message(raw)
        assert message.get_content_type() == "multipart/mixed", address
        body, *attachments = message.iter_parts()
        assert body.get_content_type() == "multipart/alternative"
        assert [part.get_content_type() for part in body.iter_parts()] == ["text/plain", "text/html"]
        assert [part.get_content_disposition() for part in attachments] == ["attachment", "attachment"]
        assert message.get_body(("plain",)).get_content().strip()
        assert "<p>" in message.get_body(("html",)).get_content()


def test_from_carries_the_desk_name_encoded_for_any_script(outbox):
    english = _message(outbox["en@example.com"])["From"].addresses[0]
    assert (english.display_name, english.addr_spec) == ("Macro Research", "desk@example.com")
    assert str(_message(outbox["en@example.com"])["From"]) == "Macro Research <desk@example.com>"
    raw_header = next(line for line in outbox["zh@example.com"].split(b"\n") if line.startswith(b"From:"))
    assert raw_header.isascii()  # RFC 2047 encoded words, not raw UTF-8
    assert b"=?utf-8?" in raw_header
    chinese = _message(outbox["zh@example.com"])["From"].addresses[0]
    assert (chinese.display_name, chinese.addr_spec) == ("宏观经济研究", "desk@example.com")
    to = _message(outbox["zh@example.com"])["To"].addresses[0]
    assert (to.display_name, to.addr_spec) == ("王先生", "zh@example.com")


def test_attachments_carry_dated_names(outbox):
    names = {address: sorted(_attachments(raw)) for address, raw in outbox.items()}
    assert names == {
        "zh@example.com": ["ust-weekly_2025-02-07_appendix.xlsx", "ust-weekly_2025-02-07_zh.pdf"],
        "en@example.com": ["ust-weekly_2025-02-07_appendix.xlsx", "ust-weekly_2025-02-07_en.pdf"],
        "both@example.com": ["ust-weekly_2025-02-07_appendix.xlsx", "ust-weekly_2025-02-07_zh-en.pdf"],
    }
    pdf = next(part for part in _message(outbox["en@example.com"]).iter_attachments())
    assert pdf.get_content_type() == "application/pdf"


def test_bodies_read_as_sentences_in_each_language(outbox):
    english = _message(outbox["en@example.com"]).get_body(("plain",)).get_content()
    assert "Dear Ms Smith," in english
    assert "Please find attached the UST Weekly note with data as of 7 Feb 2025 (PDF: " in english
    assert "Attached are" not in english
    assert "ust-weekly_2025-02-07_en.pdf" in english
    assert english.rstrip().endswith("Macro Research")
    chinese = _message(outbox["zh@example.com"]).get_body(("plain",)).get_content()
    assert chinese.startswith("王先生：")
    assert "2025年2月7日的美债周报" in chinese
    assert "Dear" not in chinese
    both = _message(outbox["both@example.com"]).get_body(("html",)).get_content()
    assert '<div lang="zh-CN">' in both
    assert '<div lang="en">' in both


def test_html_body_escapes_the_recipient_name(build_dir):
    config = _branded(25, recipients=(Recipient(email="x@example.com", name="<b>Bob</b> & Co", lang="en"),))
    send_build(build_dir, config, now=NOW, dry_run=True)
    html = (
        _message((build_dir / "outbox" / "x@example.com.eml").read_bytes()).get_body(("html",)).get_content()
    )
    assert "&lt;b&gt;Bob&lt;/b&gt; &amp; Co" in html
    assert "<b>Bob</b>" not in html


def test_a_desk_overlay_overrides_the_mail_templates(build_dir, tmp_path):
    overlay = tmp_path / "overlay"
    (overlay / "email").mkdir(parents=True)
    (overlay / "email" / "body.html").write_text("<p>Desk house style for {{ name }}: {{ pdf_name }}</p>\n")
    (overlay / "email" / "subject.txt").write_text("House subject {{ as_of_en }}")
    send_build(build_dir, _branded(25), now=NOW, dry_run=True, overlay=overlay)
    message = _message((build_dir / "outbox" / "en@example.com.eml").read_bytes())
    assert message["Subject"] == "House subject 7 Feb 2025"
    html = message.get_body(("html",)).get_content()
    assert "Desk house style for Ms Smith: ust-weekly_2025-02-07_en.pdf" in html
    assert "Please find attached" in message.get_body(("plain",)).get_content()  # the built-in text body


def test_every_recipient_with_a_missing_edition_is_named(build_dir):
    manifest = json.loads((build_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest["editions"] = {"zh+en": "note.pdf"}
    (build_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    config = _config(25).model_copy(
        update={
            "recipients": (
                *_config(25).recipients,
                Recipient(email="zh2@example.com", lang="zh"),
                Recipient(email="en2@example.com", lang="en"),
            )
        }
    )
    with pytest.raises(UstWeeklyError) as raised:
        send_build(build_dir, config, now=NOW, dry_run=True)
    message = str(raised.value)
    assert "no zh edition for zh@example.com, zh2@example.com" in message
    assert "no en edition for en@example.com, en2@example.com" in message
    assert "both@example.com" not in message
    assert not (build_dir / "outbox").exists()  # nothing written when a delivery cannot be made


def test_dry_run_logs_one_line_per_message(build_dir, caplog):
    with caplog.at_level(logging.INFO, logger="generator.send"):
        send_build(build_dir, _config(25), now=NOW, dry_run=True)
    lines = [record.getMessage() for record in caplog.records if record.getMessage().startswith("dry run")]
    assert lines == [
        "dry run: wrote outbox/zh@example.com.eml for zh@example.com (zh)",
        "dry run: wrote outbox/en@example.com.eml for en@example.com (en)",
        "dry run: wrote outbox/both@example.com.eml for both@example.com (zh+en)",
    ]


def test_the_appendix_name_comes_from_the_manifest(build_dir):
    (build_dir / "appendix.xlsx").rename(build_dir / "ust-weekly_2025-02-07_appendix.xlsx")
    manifest = json.loads((build_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest["appendix"] = "ust-weekly_2025-02-07_appendix.xlsx"
    (build_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    send_build(build_dir, _config(25), now=NOW, dry_run=True)
    attachments = _attachments((build_dir / "outbox" / "zh@example.com.eml").read_bytes())
    assert attachments["ust-weekly_2025-02-07_appendix.xlsx"] == b"PK\x03\x04 appendix"
