"""The only door to the network: GET with timeouts, retries on transient failures, and clear errors.

Retries (exponential backoff, via tenacity) cover connection failures, timeouts, HTTP 429 and 5xx.
A 4xx answer, or a body that does not parse, is not retried: asking again would get the same answer.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.errors import SourceError

# requests and tenacity are imported where a download needs them: a build from files never does, and
# importing them cost every command's start 0.06 s
if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

USER_AGENT = "ust-weekly/0.1 (+https://github.com/; research note generator)"


class _TransientHttpError(Exception):
    """A failure worth retrying; carries the response status (or None for network errors)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


SECRET_PARAMS = re.compile(r"(?i)\b(api_key|userid|key|token)=([^&\s]+)")


def redact(text: str) -> str:
    """Hide API keys that a URL or message may carry (FRED ``api_key``, BEA ``UserID``)."""
    return SECRET_PARAMS.sub(lambda match: f"{match.group(1)}=***", text)


def _is_transient(exc: BaseException) -> bool:
    import requests

    return isinstance(
        exc,
        (
            _TransientHttpError,
            requests.ConnectionError,
            requests.Timeout,
            requests.exceptions.ChunkedEncodingError,
        ),
    )


def _new_session() -> requests.Session:
    import requests

    return requests.Session()


@dataclass
class HttpClient:
    """GET bytes from publishers. Pass one in; nothing here is global."""

    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    attempts: int = 4
    backoff_seconds: float = 1.0
    max_backoff_seconds: float = 20.0
    session: requests.Session = field(default_factory=_new_session)
    #: URL prefix → replacement, e.g. {"https://fred.stlouisfed.org": "http://127.0.0.1:8080"} for a mirror
    #: or a local test server
    redirects: dict[str, str] = field(default_factory=dict)

    def resolve(self, url: str) -> str:
        """Apply ``redirects`` to ``url``."""
        for prefix, replacement in self.redirects.items():
            if url.startswith(prefix):
                return replacement.rstrip("/") + url[len(prefix) :]
        return url

    def get(self, url: str, *, source: str, params: dict[str, str] | None = None) -> bytes:
        """Return the body of a successful GET of ``url``; raise :class:`SourceError` naming ``source``."""
        from tenacity import RetryError, Retrying, retry_if_exception, stop_after_attempt, wait_exponential

        retrying = Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=wait_exponential(multiplier=self.backoff_seconds, max=self.max_backoff_seconds),
            retry=retry_if_exception(_is_transient),
            reraise=False,
            before_sleep=lambda state: log.warning(
                "%s: attempt %d failed (%s); retrying",
                source,
                state.attempt_number,
                redact(str(state.outcome.exception())),
            ),
        )
        url = self.resolve(url)
        try:
            return retrying(self._get_once, url, params, source)
        except RetryError as exc:
            last = exc.last_attempt.exception()
            raise SourceError(
                redact(f"{url} failed after {self.attempts} attempts: {last}"),
                series=source,
                hint="the publisher may be down; the last good cached copy is kept, try again later",
            ) from last

    def _get_once(self, url: str, params: dict[str, str] | None, source: str) -> bytes:
        log.debug("GET %s %s", url, redact(str(params or "")))
        response = self.session.get(
            url,
            params=params,
            timeout=(self.connect_timeout, self.read_timeout),
            headers={"User-Agent": USER_AGENT},
        )
        if response.status_code == 429 or response.status_code >= 500:
            raise _TransientHttpError(f"HTTP {response.status_code}", response.status_code)
        if response.status_code >= 400:
            raise SourceError(
                redact(f"{response.url} answered HTTP {response.status_code}"),
                series=source,
                hint="check the series code and endpoint in generator/catalogue.py",
            )
        declared = response.headers.get("Content-Length")
        body = response.content
        if declared is not None and declared.isdigit() and int(declared) != len(body):
            raise _TransientHttpError(f"truncated body: {len(body)} of {declared} bytes")
        if not body.strip():
            raise SourceError(
                redact(f"{response.url} returned an empty body"), series=source, hint="try again later"
            )
        return body
