"""``ust-weekly send``: email each recipient the edition of the note in their language and the appendix.

Each recipient is one delivery: a message with the PDF edition (zh, en or bilingual zh+en) and the
appendix workbook, attached under dated names (``ust-weekly_2025-02-07_en.pdf``,
``ust-weekly_2025-02-07_appendix.xlsx``; :mod:`generator.file_names`) whatever the build folder calls
them. The message is multipart/alternative (plain text and HTML) from ``templates/email/``
(``subject.txt``, ``body.txt``, ``body.html``; a desk's overlay folder may override each, as for the
note), from the desk's display name and the configured sender address.
Deliveries go over SMTP (STARTTLS, SSL or plain for a local relay) with credentials from the
environment, or with ``dry_run`` into ``.eml`` files. Every attempt is appended to the distribution log
(``distribution.jsonl`` in the build folder: when, to whom, edition, file hashes, outcome), and a
delivery already logged as sent with the same files is never sent again, so an interrupted run can
simply be repeated. Builds from demo data or with stale series are refused unless explicitly allowed.
"""

from __future__ import annotations

import fcntl
import ipaddress
import json
import logging
import os
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

import jinja2

from generator.atomic import sha256_file, write_atomic
from generator.build import note_views
from generator.config import Config, Recipient, Smtp
from generator.errors import ConfigError, DataError, UstWeeklyError
from generator.file_names import APPENDIX_NAME, dated_appendix_name, dated_edition_name
from generator.formatting import format_date
from generator.locks import hold_lock
from generator.template_loader import FolderLoader

log = logging.getLogger(__name__)

BUILTIN_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
LOG_NAME = "distribution.jsonl"
OUTBOX = "outbox"  #: where a dry run writes one .eml file per recipient
SEND_LOCK_WAIT_SECONDS = 600.0  #: a send to many recipients may take minutes
LOGIN_MECHANISMS = ("PLAIN", "LOGIN")  #: in order of preference
TRANSIENT_SMTP_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
    OSError,  # e.g. network unreachable; TLS and name errors are told apart in _open
)


class SendError(UstWeeklyError):
    """A delivery could not be made."""


@dataclass(frozen=True)
class Delivery:
    """One message to one recipient."""

    recipient: Recipient
    edition: str
    attachments: tuple[Path, ...]
    fingerprint: str  #: sha256 of the attachments, so a re-sent build is recognised
    attachment_names: tuple[str, ...] = ()  #: the names the client sees, one per attachment (dated)

    def named_attachments(self) -> list[tuple[Path, str]]:
        """Return (file, name in the message) pairs; a file without a given name keeps its own."""
        names = self.attachment_names or tuple(path.name for path in self.attachments)
        return list(zip(self.attachments, names, strict=True))


@dataclass(frozen=True)
class Outcome:
    """What happened to one delivery."""

    delivery: Delivery
    status: str  #: sent, written (dry run), skipped (already sent), failed
    detail: str = ""


def read_manifest(build_dir: Path) -> dict:
    """Return the build's manifest.json; a folder without one is not a build."""
    path = build_dir / "manifest.json"
    if not path.is_file():
        raise DataError(
            "no manifest.json: not a build folder", file=build_dir, hint="run `ust-weekly build` first"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(
            f"not a valid manifest: {exc}", file=path, hint="rebuild the folder with `ust-weekly build`"
        ) from exc
    if not isinstance(manifest, dict):
        raise DataError("not a valid manifest: not a JSON object", file=path, hint="rebuild the folder")
    return manifest


def check_sendable(manifest: dict, allow_demo: bool, allow_stale: bool) -> None:
    """Refuse demo-data builds, builds with demo inputs and stale builds unless allowed."""
    if manifest.get("data", {}).get("demo") and not allow_demo:
        raise SendError(
            "this build is made from synthetic demo data", hint="pass --allow-demo to send it anyway"
        )
    demo_inputs = manifest.get("demo_inputs") or []
    if demo_inputs and not allow_demo:
        raise SendError(
            f"this build uses demo inputs: {'; '.join(demo_inputs)}",
            hint="replace them and rebuild, or pass --allow-demo to send it anyway",
        )
    stale = [key for key, status in manifest.get("series", {}).items() if status.get("status") == "stale"]
    if stale and not allow_stale:
        raise SendError(f"stale series: {', '.join(stale)}", hint="refresh the data, or pass --allow-stale")


def plan_deliveries(build_dir: Path, manifest: dict, recipients: tuple[Recipient, ...]) -> list[Delivery]:
    """Match every recipient with the PDF edition of their language and the appendix.

    A missing edition is an error naming every recipient who would go without it.
    """
    if not recipients:
        raise ConfigError("no recipients", hint="add [[recipients]] to ust-weekly.toml")
    as_of = date.fromisoformat(manifest["as_of"])
    editions: dict[str, str] = manifest.get("editions", {})
    appendix = build_dir / manifest.get("appendix", APPENDIX_NAME)
    deliveries = []
    missing: dict[str, list[str]] = {}
    for recipient in recipients:
        name = editions.get(recipient.lang)
        if name is None or not (build_dir / name).is_file():
            missing.setdefault(recipient.lang, []).append(str(recipient.email))
            continue
        attachments: tuple[Path, ...] = (build_dir / name,)
        names: tuple[str, ...] = (dated_edition_name(recipient.lang, as_of),)
        if appendix.is_file():
            attachments += (appendix,)
            names += (dated_appendix_name(as_of),)
        fingerprint = "+".join(sha256_file(path)[:16] for path in attachments)
        deliveries.append(Delivery(recipient, recipient.lang, attachments, fingerprint, names))
    if missing:
        details = "; ".join(f"no {lang} edition for {', '.join(emails)}" for lang, emails in missing.items())
        wanted = ",".join(missing)
        raise DataError(details, file=build_dir, hint=f"build with --editions {wanted} (or --editions all)")
    return deliveries


def _environment(overlay: Path | None) -> jinja2.Environment:
    folders = [str(folder) for folder in (overlay, BUILTIN_TEMPLATES) if folder is not None]
    return jinja2.Environment(
        loader=FolderLoader(folders),  # no template from outside these folders
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=jinja2.select_autoescape(["html"]),  # body.html escapes names; .txt stays plain
    )


def sender_address(config: Config, desk_name: str) -> Address:
    """Return the From address: the desk's display name (any script) and the configured sender."""
    assert config.smtp is not None
    return Address(display_name=desk_name, addr_spec=str(config.smtp.sender))


def recipient_address(recipient: Recipient) -> Address:
    """Return the To address, with the recipient's name as display name when there is one."""
    return Address(display_name=recipient.name, addr_spec=str(recipient.email))


MEDIA_TYPES = {
    ".pdf": ("application", "pdf"),
    ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def compose(
    delivery: Delivery,
    config: Config,
    as_of: date,
    demo: bool,
    sent_at: datetime,
    overlay: Path | None = None,
) -> EmailMessage:
    """Return the message for ``delivery``: text and HTML bodies, then the attachments, dated names."""
    if config.smtp is None:
        raise ConfigError("no [smtp] section", hint="add [smtp] with host and sender to ust-weekly.toml")
    environment = _environment(overlay)
    desk = note_views(config).desk  # the settings' [branding], else the desk named in views.yaml
    names = [name for _path, name in delivery.named_attachments()]
    context = {
        "edition": delivery.edition,
        "name": delivery.recipient.name,
        "desk": desk.en,
        "desk_zh": desk.zh,
        "as_of_en": format_date(as_of, "en"),
        "as_of_zh": format_date(as_of, "zh"),
        "demo": demo,
        "pdf_name": names[0],
        "appendix_name": names[1] if len(names) > 1 else "",
    }
    try:
        subject = environment.get_template("email/subject.txt").render(context).strip()
        text = environment.get_template("email/body.txt").render(context)
        html = environment.get_template("email/body.html").render(context)
    except jinja2.TemplateError as exc:
        raise UstWeeklyError(f"email template: {exc}", file=getattr(exc, "filename", None)) from exc
    message = EmailMessage()
    message["From"] = sender_address(config, desk.zh if delivery.edition == "zh" else desk.en)
    message["To"] = recipient_address(delivery.recipient)
    message["Subject"] = subject
    message["Date"] = format_datetime(sent_at)
    message["Message-ID"] = make_msgid(idstring=delivery.fingerprint[:16], domain="ust-weekly.local")
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for path, name in delivery.named_attachments():
        maintype, subtype = MEDIA_TYPES.get(path.suffix, ("application", "octet-stream"))
        message.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=name)
    return message


def already_sent(log_path: Path) -> set[tuple[str, str]]:
    """Return (email, fingerprint) pairs the log records as sent."""
    if not log_path.is_file():
        return set()
    sent = set()
    for number, line in enumerate(log_path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            if entry.get("status") == "sent":
                sent.add((entry["to"], entry["fingerprint"]))
        except (json.JSONDecodeError, AttributeError, KeyError) as exc:
            # unreadable: it may record a delivery that was made, so guessing could send it twice
            raise DataError(
                "not a distribution record",
                file=log_path,
                line=number,
                hint="look at the line (an interrupted write?), fix or delete it, then run `send` again",
            ) from exc
    return sent


def append_log(log_path: Path, entry: dict) -> None:
    """Append one JSON line under an exclusive lock, flushed to disk."""
    line = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
    with log_path.open("a", encoding="utf-8") as stream:
        fcntl.flock(stream, fcntl.LOCK_EX)
        try:
            stream.write(line)
            stream.flush()
            os.fsync(stream.fileno())
        finally:
            fcntl.flock(stream, fcntl.LOCK_UN)


@dataclass(frozen=True)
class Credentials:
    """The SMTP login from the environment; never printed (see :meth:`scrub`)."""

    user: str
    password: str = field(repr=False)
    names: str  #: the environment variables they came from, for messages

    def scrub(self, text: str) -> str:
        """Return ``text`` with the password blanked out (a server may echo what it was sent)."""
        return text.replace(self.password, "********") if self.password else text


def smtp_credentials(smtp: Smtp, environ: Mapping[str, str] = os.environ) -> Credentials | None:
    """Return the login the settings' environment variables hold, None when neither is set."""
    user = environ.get(smtp.username_env or "", "") if smtp.username_env else ""
    password = environ.get(smtp.password_env or "", "") if smtp.password_env else ""
    names = f"{smtp.username_env or '(no username_env)'} / {smtp.password_env or '(no password_env)'}"
    if not user and not password:
        return None
    if not user or not password:
        missing = smtp.username_env if not user else smtp.password_env
        raise ConfigError(
            f"SMTP login incomplete: {missing or 'the other variable'} is not set",
            hint=f"set both {names}, or neither for a server that needs no login",
        )
    return Credentials(user, password, names)


def is_loopback(host: str) -> bool:
    """Return whether ``host`` is this machine (127.0.0.0/8, ::1, localhost), where TLS adds nothing."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        name = host.lower().rstrip(".")
        return name == "localhost" or name.endswith(".localhost")


def check_transport(smtp: Smtp, credentials: Credentials | None) -> None:
    """Refuse to send a login without TLS to another machine unless the settings allow it."""
    if credentials is None or smtp.security != "none" or is_loopback(smtp.host):
        return
    if not smtp.allow_plaintext_auth:
        raise ConfigError(
            f'smtp: security = "none" would send the login for {credentials.user} to {smtp.host} '
            "without encryption",
            hint='use security = "starttls" or "ssl"; on a network you trust, allow_plaintext_auth = true',
        )
    log.warning("sending the SMTP login to %s without TLS (allow_plaintext_auth = true)", smtp.host)


class SmtpSetupError(SendError):
    """The server or the login cannot work (no AUTH, refused login, TLS): no delivery can succeed."""


def _where(smtp: Smtp) -> str:
    return f"{smtp.host}:{smtp.port}"


def _open(smtp: Smtp) -> smtplib.SMTP:
    """Connect (and start TLS as the settings say); TLS and name problems are SmtpSetupError."""
    context = ssl.create_default_context(cafile=str(smtp.ca_file) if smtp.ca_file else None)
    try:
        if smtp.security == "ssl":
            return smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout_seconds, context=context)
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds)
    except ssl.SSLCertVerificationError as exc:
        raise _untrusted(smtp, exc) from exc
    except ssl.SSLError as exc:
        raise _handshake_failed(smtp, exc) from exc
    except socket.gaierror as exc:
        raise SmtpSetupError(
            f"cannot find the SMTP server {smtp.host}: {exc.strerror}", hint="check smtp.host"
        ) from exc
    if smtp.security == "starttls":
        try:
            client.starttls(context=context)
        except smtplib.SMTPNotSupportedError as exc:
            client.close()
            raise SmtpSetupError(
                f"{_where(smtp)} does not offer STARTTLS",
                hint='check smtp.port, or use security = "ssl" for a server that speaks TLS at once (465)',
            ) from exc
        except ssl.SSLCertVerificationError as exc:
            client.close()
            raise _untrusted(smtp, exc) from exc
        except ssl.SSLError as exc:
            client.close()
            raise _handshake_failed(smtp, exc) from exc
    return client


def _untrusted(smtp: Smtp, exc: ssl.SSLCertVerificationError) -> SmtpSetupError:
    return SmtpSetupError(
        f"the TLS certificate of {_where(smtp)} is not trusted: {exc.verify_message or exc.reason}",
        hint="for a private relay, set smtp.ca_file to its CA certificate",
    )


def _handshake_failed(smtp: Smtp, exc: ssl.SSLError) -> SmtpSetupError:
    return SmtpSetupError(
        f"TLS with {_where(smtp)} failed: {exc.reason or exc}",
        hint='"ssl" is for servers that speak TLS at once (port 465), "starttls" for port 587',
    )


def _login(client: smtplib.SMTP, smtp: Smtp, credentials: Credentials) -> None:
    """Log in; a server without AUTH or a refused login is an SmtpSetupError naming user and host."""
    client.ehlo_or_helo_if_needed()
    if not client.has_extn("auth"):
        raise SmtpSetupError(
            f"{_where(smtp)} offers no login (no AUTH), but {credentials.names} are set",
            hint="unset them for a relay that needs no login; some servers offer AUTH only after STARTTLS",
        )
    offered = client.esmtp_features.get("auth", "").upper().split()
    mechanism = next((name for name in LOGIN_MECHANISMS if name in offered), None)
    if mechanism is None:
        raise SmtpSetupError(
            f"{_where(smtp)} offers no login method ust-weekly knows (AUTH {' '.join(offered)})",
            hint=f"ust-weekly logs in with {' or '.join(LOGIN_MECHANISMS)}",
        )
    # One mechanism, not smtplib.login's loop over all of them: a wrong password would count as
    # several failed logins at the server, and some servers stall on the second mechanism.
    client.user, client.password = credentials.user, credentials.password
    try:
        client.auth(mechanism, getattr(client, f"auth_{mechanism.lower()}"))
    except smtplib.SMTPAuthenticationError as exc:
        said = credentials.scrub(exc.smtp_error.decode("utf-8", "replace") if exc.smtp_error else "")
        raise SmtpSetupError(
            f"authentication failed for {credentials.user} at {smtp.host} ({exc.smtp_code} {said})",
            hint=f"check {credentials.names}",
        ) from None  # the chained exception would repeat what the client sent
    except smtplib.SMTPServerDisconnected:
        raise  # transient: retried
    except smtplib.SMTPException as exc:  # no mechanism in common
        raise SmtpSetupError(
            f"cannot log in to {_where(smtp)}: {credentials.scrub(str(exc))}",
            hint=f"the server offers AUTH {client.esmtp_features.get('auth', '').strip() or '(none)'}",
        ) from None


def _connect(smtp: Smtp, credentials: Credentials | None = None) -> smtplib.SMTP:
    """Return a connected client, in TLS as the settings say and logged in when there are credentials."""
    client = _open(smtp)
    if credentials is not None:
        try:
            _login(client, smtp, credentials)
        except BaseException:
            client.close()
            raise
    return client


def _deliver(
    message: EmailMessage,
    recipient: str,
    smtp: Smtp,
    sleep: Callable[[float], None],
    credentials: Credentials | None = None,
) -> None:
    """Send with retries on dropped connections and refused recipients; raise SendError at the end.

    An SmtpSetupError (no AUTH, refused login, TLS) is raised at once: no retry can mend it.
    """
    scrub = credentials.scrub if credentials else str
    last_error: Exception | None = None
    for attempt in range(1, smtp.attempts + 1):
        try:
            with _connect(smtp, credentials) as client:
                client.send_message(message, to_addrs=[recipient])
            return
        except (*TRANSIENT_SMTP_ERRORS, smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
            last_error = exc
            log.warning("send to %s: attempt %d failed: %s", recipient, attempt, scrub(str(exc)))
            if attempt < smtp.attempts:
                sleep(min(2.0**attempt, 30.0))
    raise SendError(
        f"could not deliver to {recipient} after {smtp.attempts} attempts: {scrub(str(last_error))}",
        hint="check the address and the SMTP server; a repeated `send` skips what was delivered",
    )


def send_build(
    build_dir: Path, config: Config, *, lock_wait_seconds: float = SEND_LOCK_WAIT_SECONDS, **options: Any
) -> list[Outcome]:
    """Deliver a build to every recipient of ``config`` (``options`` as in :func:`deliver_build`).

    The build folder is locked while the log is read and appended to, so a second ``send`` of the
    same folder waits (up to ``lock_wait_seconds``) for the first and then skips what it delivered.
    """
    with hold_lock(build_dir, f"the distribution of {build_dir}", lock_wait_seconds):
        return deliver_build(build_dir, config, **options)


def deliver_build(
    build_dir: Path,
    config: Config,
    *,
    now: datetime,
    dry_run: bool = False,
    allow_demo: bool = False,
    allow_stale: bool = False,
    overlay: Path | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Outcome]:
    """Deliver a build to every recipient of ``config``; return one outcome per recipient.

    Call it through :func:`send_build`, which holds the lock that keeps two sends apart.
    """
    manifest = read_manifest(build_dir)
    check_sendable(manifest, allow_demo, allow_stale)
    as_of = date.fromisoformat(manifest["as_of"])
    demo = bool(manifest.get("data", {}).get("demo"))
    deliveries = plan_deliveries(build_dir, manifest, config.recipients)
    credentials = None
    if not dry_run and config.smtp is not None:
        credentials = smtp_credentials(config.smtp)
        check_transport(config.smtp, credentials)
    log_path = build_dir / LOG_NAME
    done = already_sent(log_path)
    outcomes = []
    for delivery in deliveries:
        address = str(delivery.recipient.email)
        if (address, delivery.fingerprint) in done and not dry_run:
            outcomes.append(Outcome(delivery, "skipped", "already sent"))
            continue
        message = compose(delivery, config, as_of, demo, now, overlay)
        entry = {
            "when": now.isoformat(timespec="seconds"),
            "to": address,
            "edition": delivery.edition,
            "files": {name: sha256_file(path) for path, name in delivery.named_attachments()},
            "fingerprint": delivery.fingerprint,
        }
        if dry_run:
            target = build_dir / OUTBOX / f"{address}.eml"
            write_atomic(target, bytes(message))
            log.info("dry run: wrote %s/%s for %s (%s)", OUTBOX, target.name, address, delivery.edition)
            outcomes.append(Outcome(delivery, "written", str(target)))
            continue
        assert config.smtp is not None  # compose checked it
        try:
            _deliver(message, address, config.smtp, sleep, credentials)
        except SmtpSetupError as exc:
            append_log(log_path, {**entry, "status": "failed", "error": str(exc)})
            raise  # the same for every recipient: stop with one message
        except SendError as exc:
            append_log(log_path, {**entry, "status": "failed", "error": str(exc)})
            outcomes.append(Outcome(delivery, "failed", str(exc)))
            continue
        append_log(log_path, {**entry, "status": "sent"})
        outcomes.append(Outcome(delivery, "sent"))
    return outcomes
