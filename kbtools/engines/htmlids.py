"""Fragment targets of an HTML page: every `id` and every `<a name>`."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import unquote

# GitHub and similar hosts prefix rendered heading ids and resolve `#x` to `user-content-x`
# with JavaScript; treat both spellings as present.
_PREFIXES = ("user-content-",)


class _IdCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)

    handle_startendtag = handle_starttag


def html_ids(body: bytes, charset: str | None = None) -> set[str]:
    """Every id (and `<a name>`) in an HTML document; undecodable bytes are replaced."""
    text = body.decode(charset or "utf-8", errors="replace")
    collector = _IdCollector()
    try:
        collector.feed(text)
        collector.close()
    except (AssertionError, ValueError):
        pass  # broken markup: keep the ids seen so far
    ids = set(collector.ids)
    for value in collector.ids:
        for prefix in _PREFIXES:
            if value.startswith(prefix):
                ids.add(value[len(prefix) :])
    return ids


def fragment_needs_check(fragment: str) -> bool:
    """False for fragments that are not element ids (client-side routes, text fragments)."""
    if not fragment:
        return False
    # `#/route` and `#!/route` are single-page-app routes; `#:~:text=` is a text fragment;
    # `#L10-L20` line anchors on code hosts are made by JavaScript.
    return not (fragment.startswith(("/", "!", ":~:")) or _is_line_anchor(fragment))


def fragment_present(fragment: str, ids: set[str]) -> bool:
    """True when `fragment` (raw or percent-decoded) names an id of the page."""
    return fragment in ids or unquote(fragment) in ids


def _is_line_anchor(fragment: str) -> bool:
    head = fragment.split("-", 1)[0]
    return len(head) > 1 and head[0] == "L" and head[1:].isdigit()
