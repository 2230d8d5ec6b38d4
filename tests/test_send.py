"""Distribution against a local SMTP server (aiosmtpd on 127.0.0.1): attachments, retries, no duplicates."""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import subprocess
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from generator.config import Config, Recipient, Smtp
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
        "note-zh.pdf": b"%PDF-1.7 zh\n",
        "appendix.xlsx": b"PK\x03\x04 appendix",
    }
    assert "note-en.pdf" in _attachments(received["en@example.com"])
    assert "note.pdf" in _attachments(received["both@example.com"])
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
    assert _attachments(raw)["note-en.pdf"] == b"%PDF-1.7 en\n"


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
