"""Who a build is for, and which pages belong in it.

The public build fails closed: a KB article must say `visibility: public` and
`status: published`; a page whose front matter cannot be read is left out. The internal
build holds everything except archived pages.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kbtools.article.schema import is_published_public

AUDIENCES = ("public", "internal")
PREVIEW_AUDIENCE = "internal"
"""`kb serve` previews what writers work on: drafts and internal pages, each marked."""
INTERNAL_SUFFIX = "-internal"

_forced: str | None = None


@contextlib.contextmanager
def forced(audience: str | None) -> Iterator[None]:
    """Make every `kb` plugin built in this block use `audience` (used by `kb build/serve`)."""
    global _forced
    if audience is not None and audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    previous, _forced = _forced, audience
    try:
        yield
    finally:
        _forced = previous


def effective(configured: str) -> str:
    """The audience of this build: the one forced by the CLI, else the configured one."""
    return _forced or configured


def includes(
    meta: dict[str, Any] | None,
    audience: str,
    *,
    is_article: bool,
    default_public: bool = True,
    broken_front_matter: bool = False,
) -> bool:
    """True when a page with this front matter belongs in a build for `audience`."""
    if broken_front_matter:
        return audience == "internal"
    meta = meta or {}
    if meta.get("status") == "archived":
        return False
    if audience == "internal":
        return True
    # An article without front matter has not been classified by anyone: not public.
    return is_published_public(meta, default_public=default_public and not is_article)


def is_draft(meta: Mapping[str, Any] | None) -> bool:
    """True for a page whose front matter says `status: draft`."""
    return bool(meta and meta.get("status") == "draft")


def default_site_dir(audience: str, configured: Path) -> Path:
    """Where a build for `audience` goes without `-d`: internal builds never land in the
    folder the public site is deployed from (`site/` -> `site-internal/`)."""
    if audience == "internal":
        return configured.with_name(configured.name + INTERNAL_SUFFIX)
    return configured


def not_public_reason(
    meta: Mapping[str, Any] | None,
    *,
    is_article: bool,
    default_public: bool = True,
    broken_front_matter: bool = False,
) -> str | None:
    """Why a page of the internal build would not be on the public site (None: it would).

    The one rule of what the preview marks: exactly the pages `includes()` leaves out of
    the public build.
    """
    if includes(
        dict(meta or {}),
        "public",
        is_article=is_article,
        default_public=default_public,
        broken_front_matter=broken_front_matter,
    ):
        return None
    meta = meta or {}
    if broken_front_matter:
        return "its front matter cannot be read"
    if is_draft(meta):
        return "it is a draft"
    if meta.get("visibility") == "internal":
        return "it is internal"
    if is_article and not meta:
        return "it has no front matter"
    if meta.get("visibility") != "public":
        return "it does not say visibility: public"
    return f"its status is {meta.get('status') or 'not set'}, not published"
