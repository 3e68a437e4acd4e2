"""The Jinja2 environment of the HTML pages: templates in the package, every value escaped."""

from __future__ import annotations

import functools
from datetime import datetime, timezone
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined


def number(value: float) -> str:
    """A score as people write it: 7.5, 10, 0."""
    return f"{float(value):g}"


def utc(moment: datetime) -> str:
    """A moment in UTC to the minute: 2026-12-01 23:59 UTC."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


@functools.lru_cache(maxsize=1)
def environment() -> Environment:
    """Autoescaping is on for every template: feedback can hold a student's own text."""
    env = Environment(
        loader=PackageLoader("autograder.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = number
    env.filters["utc"] = utc
    return env


def render(template: str, **context: Any) -> str:
    """``template`` (a file in autograder/report/templates/) rendered with ``context``, as
    ASCII: every other character becomes a character reference, so the page is the same
    whatever the locale's encoding, and a lone surrogate in a student's text (JSON allows
    them) shows as a replacement character instead of failing the write."""
    page = environment().get_template(template).render(**context)
    return page.encode("ascii", "xmlcharrefreplace").decode("ascii")
