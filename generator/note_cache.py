"""Finished PDFs kept on disk, so that a build whose note did not change does not lay it out again.

The PDF is a function of its HTML, of the files WeasyPrint may load (the template and chart folders:
the URL fetcher serves nothing else), of the fonts installed and of the code that renders. :func:`made`
returns the PDF stored under ``<folder>/<key>.pdf`` when there is one, and otherwise makes it and
stores it. The key has two parts. The first is the SHA-256 of what the pages depend on: the HTML
(with the folders of its file:// URLs left out, as for the PDF's identifier: a build staged elsewhere
gives the same bytes), every file under the resource folders, the font files and fontconfig settings
(path, size and modification time), generator/render.py and the versions of WeasyPrint and the
libraries it uses. The second is the SHA-256 of the attached files (name and bytes). A note whose
first part is not on file (:func:`may_reuse`) is laid out while its attachments are still being
written. Any edit to a template, the CSS, views, figures, an exhibit or the appendix therefore
changes the key, and the note is rendered again.

Used only inside :func:`kept_in` (a build wraps its note stage in it with the --cache folder); the
preview, which renders after every edit, does not keep its PDFs. The newest :data:`KEEP` entries
are kept.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from importlib import metadata
from pathlib import Path

from generator.atomic import write_atomic

log = logging.getLogger(__name__)

FORMAT = "2"
KEEP = 64  #: entries kept (a weekly backfill of a year is 52)
RENDER_CODE = Path(__file__).with_name("render.py")
LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "tinyhtml5", "fonttools", "pyphen", "cffi")
FONT_FOLDERS = (
    Path("/etc/fonts"),
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".fonts",
    Path.home() / ".local" / "share" / "fonts",
)
_FILE_FOLDERS = re.compile(r"file://[^\"'\s)]*/")
_folder: ContextVar[Path | None] = ContextVar("note_cache_folder", default=None)


@contextmanager
def kept_in(folder: Path | None) -> Iterator[None]:
    """Keep finished PDFs in ``folder`` inside the block (None: render every time)."""
    token = _folder.set(folder)
    try:
        yield
    finally:
        _folder.reset(token)


def current_folder() -> Path | None:
    """Return the folder of :func:`kept_in` around this call (None outside one)."""
    return _folder.get()


def _versions() -> str:
    lines = []
    for name in LIBRARIES:
        try:
            lines.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            lines.append(f"{name} -")
    return "\n".join(lines)


def _tree(digest: hashlib._Hash, folder: Path, content: bool) -> None:
    """Add every file under ``folder`` to ``digest``: its path and its bytes (or its size and mtime)."""
    if not folder.is_dir():
        return
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            try:
                if content:
                    digest.update(f"{path.relative_to(folder)}\0".encode() + path.read_bytes() + b"\0")
                else:
                    stat = path.stat()
                    digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
            except OSError:
                digest.update(f"{path}\0unreadable\0".encode())


def note_key(html: str, roots: Iterable[Path], files: Iterable[Path] = ()) -> str:
    """Return the entry name for ``html``: :func:`layout_key`, then the SHA-256 of the attachments."""
    digest = hashlib.sha256(b"attachments\n")
    for path in files:  # the PDF embeds them: the appendix and figures.json
        digest.update(f"\0attachment {Path(path).name}\0".encode() + Path(path).read_bytes())
    return f"{layout_key(html, roots)}-{digest.hexdigest()}"


def layout_key(html: str, roots: Iterable[Path]) -> str:
    """Return the hex SHA-256 of everything the pages of ``html`` depend on (not the attachments)."""
    digest = hashlib.sha256(f"note cache {FORMAT}\n{_versions()}\n".encode())
    digest.update(RENDER_CODE.read_bytes())
    digest.update(_FILE_FOLDERS.sub("file:///", html).encode("utf-8"))
    for index, root in enumerate(dict.fromkeys(Path(root).resolve() for root in roots)):
        digest.update(f"\0root {index}\0".encode())
        _tree(digest, root, content=True)
    for folder in FONT_FOLDERS:
        _tree(digest, folder, content=False)
    return digest.hexdigest()


def may_reuse(html: str, roots: Iterable[Path]) -> bool:
    """Return whether a PDF of these pages is kept (with some attachments): if not, the note is new and
    can be laid out before its attachments exist (the appendix is still being written)."""
    folder = _folder.get()
    return folder is not None and any(folder.glob(f"{layout_key(html, roots)}-*.pdf"))


def _complete(data: bytes) -> bool:
    return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def made(html: str, roots: Iterable[Path], make: Callable[[], bytes], files: Iterable[Path] = ()) -> bytes:
    """Return the PDF bytes ``make()`` gives for ``html``, from the cache folder when it was made before.

    ``files`` are embedded in the PDF (attachments); their bytes are part of the key.
    """
    folder = _folder.get()
    if folder is None:
        return make()
    roots = list(roots)
    path = folder / f"{note_key(html, roots, files)}.pdf"
    try:
        data = path.read_bytes()
        if _complete(data):
            os.utime(path)  # most recently used: pruned last
            log.info("note: unchanged, reused %s", path.name[:12])
            return data
        log.warning("note cache: %s is incomplete; rendering again", path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        log.warning("note cache: cannot read %s (%s); rendering again", path, exc)
    data = make()
    try:
        write_atomic(path, data, durable=False)
        _prune(folder)
    except OSError as exc:  # a read-only or full cache folder costs speed, not the build
        log.warning("note cache: could not write %s (%s)", path, exc)
    return data


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.pdf"), key=lambda path: path.stat().st_mtime_ns, reverse=True)
    for path in entries[KEEP:]:
        path.unlink(missing_ok=True)
