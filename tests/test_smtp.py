"""SMTP against a local aiosmtpd server: login, TLS rules, no secret in any output, one send at a time."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner
from test_send import NOW, Inbox, _config, _free_port, tls_files  # noqa: F401 (tls_files is a fixture)

from generator.cli import cli
from generator.config import Smtp
from generator.errors import ConfigError, DataError
from generator.send import (
    LOG_NAME,
    SmtpSetupError,
    check_transport,
    is_loopback,
    send_build,
    smtp_credentials,
)

USER = "desk-user"
PASSWORD = "s3cret-Pa55word"


@pytest.fixture
def build_dir(tmp_path) -> Path:
    folder = tmp_path / "2025-02-07"
    folder.mkdir()
    for name in ("note.pdf", "note-zh.pdf", "note-en.pdf"):
        (folder / name).write_bytes(b"%PDF-1.7 " + name.encode() + b"\n")
    (folder / "appendix.xlsx").write_bytes(b"PK\x03\x04 appendix")
    manifest = {
        "as_of": "2025-02-07",
        "data": {"demo": False},
        "series": {"ust10y": {"status": "ok"}},
        "editions": {"zh+en": "note.pdf", "zh": "note-zh.pdf", "en": "note-en.pdf"},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


@pytest.fixture
def login_env(monkeypatch):
    monkeypatch.setenv("UST_WEEKLY_SMTP_USER", USER)
    monkeypatch.setenv("UST_WEEKLY_SMTP_PASSWORD", PASSWORD)


class Logins:
    """An aiosmtpd authenticator that accepts USER / PASSWORD and counts attempts."""

    def __init__(self) -> None:
        self.attempts = 0

    def __call__(self, server, session, envelope, mechanism, auth_data):
        self.attempts += 1
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            USER.encode(),
            PASSWORD.encode(),
        )
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


def _quick(config):
    """The test settings with a short SMTP time-out, so a stalled exchange fails fast."""
    return config.model_copy(update={"smtp": config.smtp.model_copy(update={"timeout_seconds": 5.0})})


def _server(inbox: Inbox, **options) -> tuple[Controller, int]:
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    return controller, port


@pytest.fixture
def plain_server():
    """A server on 127.0.0.1 without TLS that offers no AUTH at all."""
    inbox = Inbox()
    controller, port = _server(inbox)
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def auth_server():
    """A server on 127.0.0.1 without TLS that offers AUTH (allowed on loopback) for USER / PASSWORD."""
    inbox, logins = Inbox(), Logins()
    controller, port = _server(inbox, authenticator=logins, auth_require_tls=False)
    try:
        yield inbox, port, logins
    finally:
        controller.stop()


def test_credentials_for_a_server_without_auth_stop_with_one_clear_error(plain_server, build_dir, login_env):
    inbox, port = plain_server
    with pytest.raises(SmtpSetupError) as caught:
        send_build(build_dir, _quick(_config(port)), now=NOW, sleep=lambda _: None)
    message = str(caught.value)
    assert f"127.0.0.1:{port} offers no login (no AUTH)" in message
    assert "UST_WEEKLY_SMTP_USER / UST_WEEKLY_SMTP_PASSWORD are set" in message
    assert inbox.messages == []
    [entry] = [json.loads(line) for line in (build_dir / LOG_NAME).read_text(encoding="utf-8").splitlines()]
    assert entry["status"] == "failed"


def test_a_refused_login_says_authentication_failed_and_is_not_retried(auth_server, build_dir, monkeypatch):
    inbox, port, logins = auth_server
    monkeypatch.setenv("UST_WEEKLY_SMTP_USER", USER)
    monkeypatch.setenv("UST_WEEKLY_SMTP_PASSWORD", "wrong-" + PASSWORD)
    with pytest.raises(SmtpSetupError, match=f"^authentication failed for {USER} at 127.0.0.1 \\(535"):
        send_build(build_dir, _quick(_config(port, attempts=3)), now=NOW, sleep=lambda _: None)
    assert logins.attempts == 1, "a wrong password is not a transient fault"
    assert inbox.messages == []
    assert PASSWORD not in (build_dir / LOG_NAME).read_text(encoding="utf-8")


def test_the_right_login_sends_and_the_password_appears_nowhere(auth_server, build_dir, login_env, caplog):
    inbox, port, logins = auth_server
    caplog.set_level(logging.DEBUG)
    outcomes = send_build(build_dir, _quick(_config(port)), now=NOW, sleep=lambda _: None)
    assert [outcome.status for outcome in outcomes] == ["sent", "sent", "sent"]
    assert logins.attempts == 3
    written = [caplog.text, (build_dir / LOG_NAME).read_text(encoding="utf-8"), repr(outcomes)]
    written += [raw.decode("utf-8", "replace") for raw in inbox.messages]
    assert not [text for text in written if PASSWORD in text]


def test_send_through_the_cli_never_prints_the_password(auth_server, build_dir, monkeypatch, tmp_path):
    _inbox, port, _logins = auth_server
    settings = tmp_path / "ust-weekly.toml"
    settings.write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nsender = "desk@example.com"\n'
        '[[recipients]]\nemail = "client@example.com"\nlang = "en"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("UST_WEEKLY_SMTP_USER", USER)
    monkeypatch.setenv("UST_WEEKLY_SMTP_PASSWORD", "wrong-" + PASSWORD)
    refused = CliRunner().invoke(cli, ["--config", str(settings), "send", str(build_dir)])
    assert refused.exit_code == 1
    assert refused.output.strip().splitlines() == [
        f"error: authentication failed for {USER} at 127.0.0.1 (535 5.7.8 Authentication credentials "
        "invalid) (check UST_WEEKLY_SMTP_USER / UST_WEEKLY_SMTP_PASSWORD)"
    ]
    for password, status in (("wrong-" + PASSWORD, 1), (PASSWORD, 0)):
        monkeypatch.setenv("UST_WEEKLY_SMTP_PASSWORD", password)
        result = CliRunner().invoke(cli, ["--config", str(settings), "send", str(build_dir), "-vv"])
        assert result.exit_code == status, result.output
        assert password not in result.output, "not even in -vv's traceback and debug lines"
        if status:
            assert "Traceback" in result.output
    assert "sent" in result.output


def test_no_login_in_clear_text_to_another_machine(build_dir, login_env):
    config = _config(25)
    remote = config.smtp.model_copy(update={"host": "smtp.example.com"})
    with pytest.raises(
        ConfigError, match=r'security = "none" would send the login for desk-user to smtp\.example\.com'
    ):
        send_build(build_dir, config.model_copy(update={"smtp": remote}), now=NOW, sleep=lambda _: None)
    assert not (build_dir / LOG_NAME).exists(), "refused before connecting"


def test_clear_text_login_only_when_the_settings_allow_it(caplog):
    smtp = Smtp(host="192.0.2.10", security="none", sender="desk@example.com")
    credentials = smtp_credentials(smtp, {"UST_WEEKLY_SMTP_USER": USER, "UST_WEEKLY_SMTP_PASSWORD": PASSWORD})
    with pytest.raises(ConfigError):
        check_transport(smtp, credentials)
    check_transport(smtp.model_copy(update={"allow_plaintext_auth": True}), credentials)
    assert "without TLS (allow_plaintext_auth = true)" in caplog.text
    check_transport(smtp.model_copy(update={"security": "starttls"}), credentials)
    check_transport(smtp, None)  # no login, nothing to protect
    assert PASSWORD not in repr(credentials)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("10.0.0.1", False),
        ("smtp.example.com", False),
        ("localhost.example.com", False),
    ],
)
def test_loopback_addresses(host, loopback):
    assert is_loopback(host) is loopback


def test_half_a_login_is_a_settings_error():
    smtp = Smtp(host="127.0.0.1", sender="desk@example.com")
    with pytest.raises(ConfigError, match="UST_WEEKLY_SMTP_PASSWORD is not set"):
        smtp_credentials(smtp, {"UST_WEEKLY_SMTP_USER": USER})
    assert smtp_credentials(smtp, {}) is None


def test_login_over_starttls(tls_files, build_dir, login_env):  # noqa: F811 (the fixture)
    import ssl

    cert, key = tls_files
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox, logins = Inbox(), Logins()
    controller, port = _server(inbox, tls_context=context, require_starttls=True, authenticator=logins)
    try:
        config = _config(port)
        smtp = config.smtp.model_copy(update={"security": "starttls", "ca_file": cert})
        outcomes = send_build(
            build_dir, config.model_copy(update={"smtp": smtp}), now=NOW, sleep=lambda _: None
        )
    finally:
        controller.stop()
    assert [outcome.status for outcome in outcomes] == ["sent", "sent", "sent"]
    assert logins.attempts == 3


def test_starttls_to_a_server_without_it_is_one_clear_error(plain_server, build_dir):
    _inbox, port = plain_server
    config = _config(port)
    smtp = config.smtp.model_copy(update={"security": "starttls"})
    with pytest.raises(SmtpSetupError, match=f"127.0.0.1:{port} does not offer STARTTLS"):
        send_build(build_dir, config.model_copy(update={"smtp": smtp}), now=NOW, sleep=lambda _: None)


def test_an_untrusted_certificate_is_one_clear_error(tls_files, build_dir):  # noqa: F811 (the fixture)
    import ssl

    cert, key = tls_files
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    controller, port = _server(Inbox(), ssl_context=context)
    try:
        config = _config(port)
        smtp = config.smtp.model_copy(update={"security": "ssl"})  # no ca_file: the system CAs
        with pytest.raises(SmtpSetupError, match=f"TLS certificate of 127.0.0.1:{port} is not trusted"):
            send_build(build_dir, config.model_copy(update={"smtp": smtp}), now=NOW, sleep=lambda _: None)
    finally:
        controller.stop()


class SlowInbox(Inbox):
    """Takes a while over each message, so two sends started together overlap."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd hook)
        await asyncio.sleep(0.15)
        return await super().handle_DATA(server, session, envelope)


def test_two_sends_of_one_folder_at_once_deliver_each_message_once(build_dir):
    inbox = SlowInbox()
    controller, port = _server(inbox)
    results: list[list] = []
    try:

        def send() -> None:
            results.append(send_build(build_dir, _quick(_config(port)), now=NOW, sleep=lambda _: None))

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        controller.stop()
    assert len(inbox.messages) == 3
    statuses = sorted(tuple(outcome.status for outcome in outcomes) for outcomes in results)
    assert statuses == [("sent", "sent", "sent"), ("skipped", "skipped", "skipped")]
    lines = (build_dir / LOG_NAME).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["status"] for line in lines] == ["sent"] * 3


def test_a_server_reply_that_echoes_the_password_is_scrubbed(build_dir, monkeypatch):
    def echoing(server, session, envelope, mechanism, auth_data):
        password = auth_data.password.decode()
        return AuthResult(success=False, handled=False, message=f"535 no such login: {password}")

    controller, port = _server(Inbox(), authenticator=echoing, auth_require_tls=False)
    monkeypatch.setenv("UST_WEEKLY_SMTP_USER", USER)
    monkeypatch.setenv("UST_WEEKLY_SMTP_PASSWORD", PASSWORD)
    try:
        with pytest.raises(SmtpSetupError) as caught:
            send_build(build_dir, _quick(_config(port)), now=NOW, sleep=lambda _: None)
    finally:
        controller.stop()
    assert "no such login: ********" in str(caught.value)
    assert PASSWORD not in str(caught.value)
    assert PASSWORD not in (build_dir / LOG_NAME).read_text(encoding="utf-8")


def test_an_unreadable_manifest_or_distribution_log_is_one_clear_error(build_dir):
    (build_dir / LOG_NAME).write_text(
        '{"to": "zh@example.com", "status": "sent", "fingerp\n', encoding="utf-8"
    )
    with pytest.raises(DataError, match=rf"{LOG_NAME}:1: not a distribution record"):
        send_build(build_dir, _config(25), now=NOW, sleep=lambda _: None)
    (build_dir / "manifest.json").write_text("{bad", encoding="utf-8")
    with pytest.raises(DataError, match=r"manifest\.json: not a valid manifest"):
        send_build(build_dir, _config(25), now=NOW, dry_run=True)


def test_dry_run_messages_are_readable_by_others(build_dir):
    import os
    import stat

    previous = os.umask(0o022)
    try:
        send_build(build_dir, _config(25), now=NOW, dry_run=True)
    finally:
        os.umask(previous)
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in (build_dir / "outbox").iterdir()}
    assert len(modes) == 3
    assert set(modes.values()) == {0o644}, modes
    assert stat.S_IMODE((build_dir / "outbox").stat().st_mode) == 0o755
