"""Reading a built PDF the way a client's tools would: poppler's command-line tools, plus a look inside.

``structure_languages`` reads the /Lang entries of the document catalogue and of the article
structure elements (WeasyPrint compresses objects into object streams, so the streams are inflated
first). ``page_emptiness`` renders each page with pdftoppm and measures how much of the type area
below the last mark is blank.
"""

from __future__ import annotations

import re
import subprocess
import zlib
from pathlib import Path

from PIL import Image

A4_HEIGHT_MM = 297
TOP_MARGIN_MM, BOTTOM_MARGIN_MM = 21, 18  #: templates/note.css @page margins
_DICT = rb"<<(?:(?!<<|>>).)*?/S /Art(?:(?!<<|>>).)*?>>"


def run(*command: str) -> str:
    """Return the standard output of a poppler tool (raises when it fails)."""
    return subprocess.run(command, capture_output=True, check=True).stdout.decode("utf-8")


def pdfinfo(path: Path) -> dict[str, str]:
    """Return pdfinfo's fields (Tagged, Pages, …)."""
    fields = {}
    for line in run("pdfinfo", str(path)).splitlines():
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def attachment_names(path: Path) -> list[str]:
    """Return the names of the files embedded in the PDF (pdfdetach -list)."""
    lines = run("pdfdetach", "-list", str(path)).splitlines()[1:]
    return [line.split(": ", 1)[1] for line in lines if ": " in line]


def page_texts(path: Path, layout: bool = False) -> list[str]:
    """Return the text of each page (pdftotext, reading order unless ``layout``)."""
    text = run("pdftotext", *(["-layout"] if layout else []), str(path), "-")
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def inflated(path: Path) -> bytes:
    """Return the file's bytes followed by every inflated stream (object streams hold the objects)."""
    data = path.read_bytes()
    parts = [data]
    for found in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", found.end())
        try:
            parts.append(zlib.decompress(data[found.end() : end]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def structure_languages(path: Path) -> tuple[list[str], list[str]]:
    """Return (every /Lang in the file, the /Lang of each article structure element, in file order)."""
    data = inflated(path)
    everything = [found.decode() for found in re.findall(rb"/Lang \(([^)]*)\)", data)]
    articles = []
    for element in re.findall(_DICT, data, flags=re.S):
        found = re.search(rb"/Lang \(([^)]*)\)", element)
        articles.append(found.group(1).decode() if found else "")
    return everything, articles


def page_emptiness(path: Path, folder: Path, dpi: int = 40) -> list[float]:
    """Return, per page, the blank share of the type area below its last mark (0 = full, 1 = empty)."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(path), str(folder / "p")], check=True)
    shares = []
    for image_path in sorted(folder.glob("p-*.png")):
        with Image.open(image_path) as image:
            width, height = image.size
            top = round(TOP_MARGIN_MM / A4_HEIGHT_MM * height)
            bottom = height - round(BOTTOM_MARGIN_MM / A4_HEIGHT_MM * height)
            # darker than the light rules, shades and the faint demo watermark: text, lines of charts
            marks = image.crop((0, top, width, bottom)).point(lambda value: 255 if value < 200 else 0)
            box = marks.getbbox()
        shares.append(1 - (box[3] if box else 0) / (bottom - top))
    return shares
