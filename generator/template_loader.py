"""The Jinja loader every template goes through: files inside the template folders, and nothing else.

Jinja's ``FileSystemLoader`` refuses ``..`` in a template name but follows symbolic links, so an
overlay's ``{% include "leak.html" %}`` where ``leak.html`` links to ``/etc/passwd`` would put that
file into the note. :class:`FolderLoader` resolves each template's real path (every link followed)
and refuses one that is not inside one of its folders, with a :class:`TemplateError` naming the
template and where it really points. A link from one template folder into another is fine.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from generator.errors import TemplateError


class FolderLoader(jinja2.BaseLoader):
    """Load templates from ``folders`` (first match wins) whose real path lies inside one of them."""

    def __init__(self, folders: Iterable[Path | str], encoding: str = "utf-8") -> None:
        self.folders = [Path(folder).resolve() for folder in folders]
        self.encoding = encoding

    def real_path(self, template: str, candidate: Path) -> Path:
        """Return where ``candidate`` really is; raise TemplateError if it is outside every folder."""
        real = candidate.resolve()
        if not any(real.is_relative_to(folder) for folder in self.folders):
            raise TemplateError(
                f"template {template!r} is a link to {real}, outside the template folders",
                file=candidate,
                hint="a template may only be a file inside the overlay or the built-in template folder",
            )
        return real

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses "..": TemplateNotFound
        for folder in self.folders:
            candidate = folder.joinpath(*pieces)
            if not candidate.is_file():
                continue
            real = self.real_path(template, candidate)
            source = real.read_text(encoding=self.encoding)
            mtime = os.path.getmtime(real)

            def uptodate(candidate: Path = candidate, real: Path = real, mtime: float = mtime) -> bool:
                try:
                    return candidate.resolve() == real and os.path.getmtime(real) == mtime
                except OSError:
                    return False

            return source, str(candidate), uptodate
        raise jinja2.TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        found = set()
        for folder in self.folders:
            for path in folder.rglob("*"):
                if path.is_file():
                    found.add(path.relative_to(folder).as_posix())
        return sorted(found)
