"""The live preview: HTTP endpoints, what a change rebuilds, and the page in a real headless Chromium.

The browser test drives Debian's ``chromium`` through the DevTools protocol over
``--remote-debugging-pipe`` (NUL-separated JSON on file descriptors 3 and 4), so it needs no websocket
client; it is skipped when /usr/bin/chromium is absent.
"""

from __future__ import annotations

import fcntl
import gc
import http.client
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from generator.collector import DEFERRED_FULL_THRESHOLD
from generator.data import DATA_DIR, DEMO, DataRequest, open_store
from generator.errors import UstWeeklyError
from generator.inputs import SHIPPED_ANALYST_DIR
from generator.preview import (
    PreviewRequest,
    PreviewServer,
    Stage,
    link_resources,
    page_geometry,
    watch_plan,
)
from generator.render import BUNDLED_TEMPLATES
from generator.store import Store

AS_OF = date(2025, 6, 6)
CHROMIUM = Path("/usr/bin/chromium")
WAIT = 30.0  # seconds: the longest any single wait may take


@pytest.fixture(scope="session")
def preview_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("preview-cache")


@pytest.fixture(scope="session")
def demo_store(preview_cache) -> Store:
    return open_store(DataRequest(DEMO, cache_dir=preview_cache))


@pytest.fixture
def overlay(tmp_path) -> Path:
    folder = tmp_path / "overlay"
    folder.mkdir()
    return folder


@pytest.fixture
def analyst(tmp_path) -> Path:
    """A copy of the shipped analyst folder (refunding, tariff scenarios, views) to edit."""
    folder = tmp_path / "analyst"
    folder.mkdir()
    for name in ("refunding.csv", "tariff_scenarios.csv", "views.yaml"):
        shutil.copy(SHIPPED_ANALYST_DIR / name, folder / name)
    return folder


def demo_request(preview_cache: Path, overlay: Path, analyst: Path, **choices: Any) -> PreviewRequest:
    """The tests' preview: demo data, an editable overlay and analyst folder, quick to react."""
    return PreviewRequest(
        AS_OF,
        DataRequest(DEMO, cache_dir=preview_cache),
        analyst_dir=analyst,
        templates=overlay,
        debounce_ms=100,
        poll_ms=200,
        **choices,
    )


@pytest.fixture
def server(preview_cache, demo_store, overlay, analyst) -> Iterator[PreviewServer]:
    request = demo_request(preview_cache, overlay, analyst)
    preview = PreviewServer(request, store=demo_store).start()
    try:
        yield preview
    finally:
        preview.stop()


def wait_for(condition: Callable[[], Any], what: str, timeout: float = WAIT) -> Any:
    """Return the first truthy value of ``condition()``; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


def get(url: str) -> tuple[int, str, bytes]:
    """Return (status, content type, body) of a GET; error statuses are returned, not raised."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=WAIT)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def get_raw(port: int, path: str, headers: dict[str, str] | None = None) -> int:
    """Return the status of a GET of ``path`` sent exactly as given (no URL normalisation)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    try:
        connection.putrequest("GET", path, skip_host=bool(headers and "Host" in headers))
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def rebuilt_after(server: PreviewServer, count: int) -> Callable[[], tuple[str, ...] | None]:
    """Return a condition: the stages of the first rebuild after ``count`` rebuilds, once it happened."""
    return lambda: server.history[count] if len(server.history) > count else None


NOTE_WITH = '{{% extends "base.html" %}}\n{{% block summary %}}{body}{{% endblock %}}\n'


# --- pieces ---------------------------------------------------------------------------------------------


def test_page_geometry_reads_the_page_rule():
    assert page_geometry("<style>@page { size: A4; margin: 21mm 15mm; @top-left { x: 1 } }</style>") == (
        "210mm",
        "21mm 15mm",
    )
    assert page_geometry("@page { size: letter landscape; }")[0] == "11in"
    assert page_geometry("<p>no page rule</p>") == ("210mm", "21mm 15mm 18mm 15mm")


def test_file_urls_outside_the_allowed_folders_are_not_linked(tmp_path):
    inside, outside = tmp_path / "charts", tmp_path / "elsewhere"
    inside.mkdir()
    outside.mkdir()
    (inside / "e01.svg").write_text("<svg/>", encoding="utf-8")
    html = f'<img src="{(inside / "e01.svg").as_uri()}"><img src="{(outside / "x.svg").as_uri()}">'
    linked = link_resources(html, [BUNDLED_TEMPLATES, inside])
    assert 'src="/_preview/files/1/e01.svg?v=' in linked
    assert "file:" not in linked
    assert "/_preview/files/refused/x.svg" in linked


def test_watch_plan_maps_changes_to_stages(tmp_path, analyst, overlay):
    data = tmp_path / "data"
    data.mkdir()
    request = PreviewRequest(
        AS_OF,
        DataRequest(DATA_DIR, data_dir=data, cache_dir=tmp_path / "cache"),
        analyst_dir=analyst,
        templates=overlay,
    )
    plan = watch_plan(request)
    assert plan.stage_for(data / "fred" / "DGS10.csv") is Stage.DATA
    assert plan.stage_for(analyst / "tariff_scenarios.csv") is Stage.INPUTS
    assert plan.stage_for(analyst / "refunding.csv") is Stage.INPUTS
    assert plan.stage_for(analyst / "views.yaml") is Stage.VIEWS
    assert plan.stage_for(overlay / "note.html") is Stage.HTML
    assert plan.stage_for(BUNDLED_TEMPLATES / "note.css") is Stage.HTML
    assert plan.stage_for(analyst / "README.md") is None
    changes = [overlay / "theme.css", analyst / "views.yaml"]
    assert plan.stages_for_changes(changes) == {Stage.HTML, Stage.VIEWS}
    assert set(plan.folders()) >= {data.resolve(), analyst.resolve(), overlay.resolve()}
    assert plan.flat_folders() == []  # views.yaml is in the analyst folder, watched already
    demo_plan = watch_plan(PreviewRequest(AS_OF, DataRequest(DEMO, cache_dir=tmp_path / "cache")))
    assert demo_plan.data == ()  # demo data never change under the preview
    elsewhere = tmp_path / "desk"
    elsewhere.mkdir()
    shutil.copy(analyst / "views.yaml", elsewhere / "house.yaml")
    views_plan = watch_plan(PreviewRequest(AS_OF, DataRequest(DEMO), views=elsewhere / "house.yaml"))
    assert views_plan.stage_for(elsewhere / "house.yaml") is Stage.VIEWS
    assert views_plan.stage_for(elsewhere / "other.yaml") is None
    assert views_plan.flat_folders() == [elsewhere.resolve()]  # not its subfolders
    assert elsewhere.resolve() not in views_plan.folders()


def test_a_busy_port_is_reported_before_building(preview_cache, demo_store):
    request = PreviewRequest(AS_OF, DataRequest(DEMO, cache_dir=preview_cache))
    with PreviewServer(request, store=demo_store) as first:
        second = PreviewServer(PreviewRequest(AS_OF, request.data, port=first.port), store=demo_store)
        with pytest.raises(UstWeeklyError, match=r"cannot listen on 127\.0\.0\.1"):
            second.start()
        assert second.history == []  # nothing was built


# --- HTTP -------------------------------------------------------------------------------------------------


def test_page_is_the_note_with_its_charts_and_reload_script(server):
    status, kind, body = get(server.url)
    page = body.decode("utf-8")
    assert status == 200
    assert kind.startswith("text/html")
    assert 'id="ust-preview-reload"' in page
    assert 'href="/note.pdf"' in page
    assert "width: 210mm" in page  # one A4 page wide
    assert "file:" not in page
    assert 'class="edition edition-zh"' in page
    assert 'class="edition edition-en"' in page
    charts = sorted(set(part.split('"')[0] for part in page.split('src="/_preview/files/')[1:]))
    assert len(charts) == 12
    status, kind, svg = get(f"{server.url}_preview/files/{charts[0]}")
    assert status == 200
    assert kind.startswith("image/svg+xml")
    assert svg.lstrip().startswith(b"<?xml") or b"<svg" in svg[:500]
    state = json.loads(get(f"{server.url}_preview/version")[2])
    assert state == {"version": server.version, "busy": False, "ok": True}


def test_only_the_allowed_folders_are_served(server, overlay, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the browser", encoding="utf-8")
    (overlay / "logo.svg").write_text("<svg/>", encoding="utf-8")
    (overlay / "link.txt").symlink_to(secret)
    port = server.port
    assert get_raw(port, "/logo.svg") == 200  # relative URLs resolve in the overlay, as in WeasyPrint
    assert get_raw(port, "/note.css") == 404  # the overlay is the base folder; the note's CSS is inlined
    assert get_raw(port, "/_preview/files/1/note.css") == 200  # built-in templates: the second folder
    for path in (
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/link.txt",
        f"/_preview/files/0/..%2f{secret.name}",
        "/_preview/files/0/../../../../etc/passwd",
        "/_preview/files/1/../generator/preview.py",
        "/_preview/files/99/e01.svg",
        "/_preview/files/x/e01.svg",
        f"/{secret}",
        "//etc/passwd",
        "/_preview/files/0/",
    ):
        assert get_raw(port, path) == 404, path
    assert get_raw(port, "/", {"Host": "attacker.example:80"}) == 403  # DNS rebinding


def test_template_change_bumps_version_and_rebuilds_only_the_html(server, overlay):
    version, count = server.version, len(server.history)
    (overlay / "note.html").write_text(NOTE_WITH.format(body="<p>MARKER-ALPHA</p>"), encoding="utf-8")
    assert wait_for(rebuilt_after(server, count), "a rebuild") == ("html",)
    assert server.version == version + 1
    assert b"MARKER-ALPHA" in get(server.url)[2]
    assert json.loads(get(f"{server.url}_preview/version")[2])["version"] == version + 1


def test_analyst_inputs_and_views_rebuild_their_stages(server, analyst):
    count = len(server.history)
    tariffs = analyst / "tariff_scenarios.csv"
    tariffs.write_text(tariffs.read_text(encoding="utf-8").replace(",-0.3,", ",-0.4,", 1), encoding="utf-8")
    assert wait_for(rebuilt_after(server, count), "a rebuild") == ("figures", "html")
    count, version = len(server.history), server.version
    views = analyst / "views.yaml"
    text = views.read_text(encoding="utf-8")
    views.write_text(text + "\n# edited\n", encoding="utf-8")
    assert wait_for(rebuilt_after(server, count), "a rebuild") == ("views", "html")
    assert server.version == version  # same page: the browser is not reloaded for nothing


def test_views_file_outside_the_watched_folders_is_followed(preview_cache, demo_store, tmp_path):
    desk = tmp_path / "desk"
    desk.mkdir()
    views = desk / "house.yaml"
    text = (SHIPPED_ANALYST_DIR / "views.yaml").read_text(encoding="utf-8")
    views.write_text(text, encoding="utf-8")
    request = PreviewRequest(AS_OF, DataRequest(DEMO, cache_dir=preview_cache), views=views, debounce_ms=100)
    with PreviewServer(request, store=demo_store) as preview:
        count = len(preview.history)
        views.write_text(text.replace("headline:", "headline:  ", 1), encoding="utf-8")
        assert wait_for(rebuilt_after(preview, count), "a rebuild") == ("views", "html")


def test_broken_template_shows_an_error_page_until_fixed(server, overlay):
    count = len(server.history)
    (overlay / "note.html").write_text(NOTE_WITH.format(body="{{ no_such_name }}"), encoding="utf-8")
    wait_for(rebuilt_after(server, count), "a rebuild")
    status, _, body = get(server.url)
    page = body.decode("utf-8")
    assert status == 500
    assert "Template error" in page
    assert f"{overlay.resolve() / 'note.html'}:2" in page
    assert "no_such_name" in page
    assert 'id="ust-preview-reload"' in page  # the error page reloads itself too
    assert get(f"{server.url}note.pdf")[0] == 409
    count = len(server.history)
    (overlay / "note.html").write_text(NOTE_WITH.format(body="<p>FIXED</p>"), encoding="utf-8")
    wait_for(rebuilt_after(server, count), "a rebuild")
    status, _, body = get(server.url)
    assert status == 200
    assert b"FIXED" in body


def test_an_include_linking_outside_the_templates_shows_an_error_not_the_file(server, overlay, tmp_path):
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:SECRET-LINE:/root:/bin/bash\n", encoding="utf-8")
    (overlay / "leak.html").symlink_to(secret)
    count = len(server.history)
    (overlay / "note.html").write_text(NOTE_WITH.format(body='{% include "leak.html" %}'), encoding="utf-8")
    wait_for(rebuilt_after(server, count), "a rebuild")
    status, _, body = get(server.url)
    page = body.decode("utf-8")
    assert status == 500
    assert "outside the template folders" in page
    assert "SECRET-LINE" not in page
    assert get_raw(server.port, "/leak.html") == 404


def test_pdf_link_renders_the_note(server):
    status, kind, body = get(f"{server.url}note.pdf")
    assert status == 200
    assert kind == "application/pdf"
    assert body.startswith(b"%PDF-")
    assert len(body) > 50_000
    # the render deferred its full collections; once the PDF is sent, the server collects what it left
    wait_for(lambda: not server._render_garbage, "the render's garbage collected after sending")


def test_the_pdf_render_defers_full_collections(server, monkeypatch):
    import generator.preview as preview_module

    seen = []
    render = preview_module.write_note

    def recording(*args: Any, **kwargs: Any) -> Path:
        seen.append(gc.get_threshold()[2])
        return render(*args, **kwargs)

    monkeypatch.setattr(preview_module, "write_note", recording)
    assert server.pdf().startswith(b"%PDF-")
    assert seen == [DEFERRED_FULL_THRESHOLD]
    assert gc.get_threshold()[2] != DEFERRED_FULL_THRESHOLD


def test_with_pdf_ahead_the_pdf_of_each_new_version_is_rendered_before_the_click(
    preview_cache, demo_store, overlay, analyst
):
    request = demo_request(preview_cache, overlay, analyst, pdf_ahead=True)
    with PreviewServer(request, store=demo_store) as preview:
        first = preview.version
        wait_for(lambda: preview._pdf_cache and preview._pdf_cache[0] == first, "the first PDF, unasked")
        (overlay / "extra.css").write_text("h2 { letter-spacing: 0.2pt; }\n", encoding="utf-8")
        second = wait_for(lambda: preview.version > first and preview.version, "the page after the edit")
        wait_for(lambda: preview._pdf_cache[0] == second, "the PDF of the edited note, unasked")
        started = time.monotonic()
        status, _, body = get(f"{preview.url}note.pdf")
        assert status == 200
        assert body == preview._pdf_cache[1]
        assert time.monotonic() - started < 1.0  # served from what was rendered ahead, not laid out again


# --- a real browser ---------------------------------------------------------------------------------------


def _high_fd(fd: int) -> int:
    """Return a duplicate of ``fd`` numbered 10 or above (and close ``fd``)."""
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


class Chromium:
    """A headless Chromium driven over the DevTools protocol on a pipe (fd 3: commands, fd 4: replies)."""

    FLAGS = (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-proxy-server",
        "--remote-debugging-pipe",
    )

    def __init__(self, binary: Path = CHROMIUM) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="ust-weekly-chromium-"))
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()
        # bash moves the browser's ends to fds 3 and 4: keep them clear of those numbers
        commands_read, replies_write = _high_fd(commands_read), _high_fd(replies_write)
        script = f'exec "$0" "$@" 3<&{commands_read} 4>&{replies_write}'
        self.process = subprocess.Popen(
            ["/bin/bash", "-c", script, str(binary), *self.FLAGS, f"--user-data-dir={self.profile}"],
            pass_fds=(commands_read, replies_write),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        os.close(commands_read)
        os.close(replies_write)
        self._buffer = b""
        self._last_id = 0
        self.session: str | None = None

    def send(self, method: str, params: dict[str, Any] | None = None, timeout: float = WAIT) -> dict:
        """Return the result of one DevTools command (on the attached page once :meth:`open` ran)."""
        self._last_id += 1
        message: dict[str, Any] = {"id": self._last_id, "method": method, "params": params or {}}
        if self.session is not None and not method.startswith(("Target.", "Browser.")):
            message["sessionId"] = self.session
        os.write(self._commands, json.dumps(message).encode("utf-8") + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self._last_id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply["result"]
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"chromium did not answer {method} within {timeout:.0f} s")
            ready, _, _ = select.select([self._replies], [], [], left)
            if ready:
                chunk = os.read(self._replies, 1 << 16)
                if not chunk:
                    raise RuntimeError("chromium closed the DevTools pipe")
                self._buffer += chunk

    def open(self, url: str) -> None:
        """Open ``url`` in a new tab and attach to it; later commands go to that page."""
        target = self.send("Target.createTarget", {"url": url})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]

    def evaluate(self, expression: str) -> Any:
        """Return the value of a JavaScript expression in the page."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result.get("result", {}).get("value")

    def text(self) -> str:
        """Return the page's visible text (empty while it loads, and when the page navigated away
        under the evaluation: the preview reloads itself after an edit)."""
        try:
            return self.evaluate("document.body ? document.body.innerText : ''") or ""
        except RuntimeError as exc:
            if "navigated or closed" in str(exc):
                return ""
            raise

    def close(self) -> None:
        """Close the browser, kill its process group if it lingers, and remove its profile."""
        try:
            self.send("Browser.close", timeout=5)
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        for fd in (self._commands, self._replies):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture
def chromium() -> Iterator[Chromium]:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent (install Debian's package `chromium`)")
    browser = Chromium()
    try:
        browser.send("Browser.getVersion")
        yield browser
    finally:
        browser.close()


def test_browser_follows_edits_and_shows_template_errors(server, chromium, overlay):
    chromium.open(server.url)
    wait_for(lambda: "UST Weekly preview" in chromium.text(), "the note in the browser")
    note = overlay / "note.html"

    # an edit appears in the same open page: the page reloads itself
    note.write_text(NOTE_WITH.format(body="<p>MARKER-BROWSER-ONE</p>"), encoding="utf-8")
    wait_for(lambda: "MARKER-BROWSER-ONE" in chromium.text(), "the edited block in the page")
    assert chromium.evaluate("performance.getEntriesByType('navigation')[0].type") == "reload"

    # a broken template: the page shows the error with the file and line
    note.write_text(NOTE_WITH.format(body="{{ undefined_in_preview }}"), encoding="utf-8")
    text = wait_for(lambda: (lambda t: t if "Template error" in t else "")(chromium.text()), "the error page")
    assert "note.html:2" in text
    assert "note.html, line 2" in text
    assert "undefined_in_preview" in text

    # fixed: the note is back
    note.write_text(NOTE_WITH.format(body="<p>MARKER-BROWSER-TWO</p>"), encoding="utf-8")
    wait_for(lambda: "MARKER-BROWSER-TWO" in chromium.text(), "the note after the fix")
    assert "Template error" not in chromium.text()
    assert chromium.evaluate("document.images.length") == 24  # 12 exhibits per edition
    loaded = "Array.from(document.images).every(image => image.complete && image.naturalWidth > 0)"
    wait_for(lambda: chromium.evaluate(loaded), "the charts to load over HTTP")
