"""Adapter for ofr: being written (see generator/sources/__init__.py for the contract)."""

from __future__ import annotations

import pandas as pd

from generator.catalogue import SeriesSpec
from generator.sources.http import HttpClient


def read(raw: bytes, spec: SeriesSpec, origin: str) -> pd.DataFrame:
    raise NotImplementedError


def fetch(specs: list[SeriesSpec], http: HttpClient) -> bytes:
    raise NotImplementedError


def encode(frames: dict[str, pd.DataFrame], specs: list[SeriesSpec]) -> bytes:
    raise NotImplementedError
