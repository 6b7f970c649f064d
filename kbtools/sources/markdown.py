"""Markdown write-ups with any headings: synonyms map to canonical sections."""

from __future__ import annotations

import re

from kbtools import extract
from kbtools.sources import text as text_source
from kbtools.sources.common import (
    FENCE_RE,
    FIELD_LABELS,
    apply_field,
    canonical_heading,
    is_private_heading,
    normalize_label,
    parse_label_line,
)
from kbtools.sources.options import SourceOptions
from kbtools.sources.text import pull_error_blocks
from kbtools.ticket import Ticket

NAME = "markdown"
_HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT_RE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_GENERIC_H1_RE = re.compile(
    r"\b(ticket|notes?|write-?up|summary|post-?mortem|case|kb draft|draft|resolution)\b",
    re.IGNORECASE,
)


def accepts(text: str, name: str) -> bool:
    """True for text with Markdown headings or bold field labels."""
    if name.lower().endswith((".md", ".markdown")):
        return True
    lines = text.split("\n")
    headings = sum(1 for line in lines if _HEADING_RE.match(line))
    labels = sum(1 for line in lines if re.match(r"^\s*(?:[-*]\s+)?\*\*[^*]+:\*\*", line))
    return headings >= 1 or labels >= 2


def parse(text: str, options: SourceOptions | None = None) -> Ticket:
    """Split the write-up into canonical sections and labelled fields.

    Notes without section headings (an H1 at most, then paragraphs and bullets) are read
    like plain-text notes: cue phrases and inline labels sort them.
    """
    # An HTML table of fields (`<tr><td>CSM</td><td>Jane</td></tr>`) reads as label lines.
    text = re.sub(
        r"<table\b.*?</table>",
        lambda m: _table_lines(m.group(0)),
        text,
        flags=re.IGNORECASE | re.DOTALL,
    )
    # A line of nothing but HTML tags (a banner `<div><img ...></div>`) carries no text.
    text = "\n".join(
        "" if re.fullmatch(r"\s*(?:<[^<>\n]+>\s*)+", line) else line for line in text.split("\n")
    )
    if not _has_section_headings(text):
        return _as_notes(text, options)
    ticket = Ticket(source_format=NAME)
    current: str | None = None
    current_heading = ""
    dropping = False
    buffer: list[str] = []
    preamble: list[str] = []
    h1 = ""
    fence: str | None = None
    lines = text.split("\n")

    def flush() -> None:
        body = "\n".join(buffer).strip("\n")
        buffer.clear()
        if dropping or not body.strip():
            return
        if current is None:
            preamble.append(body)
        elif current == "Additional information" and current_heading:
            ticket.add_section(current, f"### {current_heading}\n\n{body}")
        else:
            ticket.add_section(current, body)

    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if fence is not None:
            buffer.append(line)
            if re.match(rf"^\s{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$", line):
                fence = None
            continue
        fence_match = FENCE_RE.match(line)
        if fence_match:
            fence = fence_match.group(1)
            buffer.append(line)
            continue
        heading = _HEADING_RE.match(line)
        level = len(heading.group(1)) if heading else 0
        heading_text = heading.group(2) if heading else ""
        setext = not heading and index < len(lines) and _SETEXT_RE.match(lines[index])
        if setext and line.strip() and not parse_label_line(line):
            level = 1 if lines[index].strip().startswith("=") else 2
            heading_text = line.strip()
            index += 1
        if level:
            plain_heading = extract.plain_text(heading_text)
            opening_label = parse_label_line(plain_heading)
            if (
                not h1
                and not "".join(lines[: index - 1]).strip()
                and not canonical_heading(heading_text)
                and not _GENERIC_HEADING_RE.match(plain_heading)
                and not (opening_label and FIELD_LABELS.get(normalize_label(opening_label[0])))
            ):
                level = 1  # a document that opens with an `### ...` heading: that is its title
            if level == 1 and not h1:
                flush()
                h1 = extract.plain_text(heading_text)
                current, dropping, current_heading = None, False, ""
                continue
            if _GENERIC_HEADING_RE.match(extract.plain_text(heading_text)):
                # "### FAQ candidate (from ZD-49040)", "# Ticket summary": the writer's label.
                if re.search(r"\bfaq\b", heading_text, re.IGNORECASE):
                    ticket.fields.setdefault("type", "faq")
                continue
            heading_label = parse_label_line(extract.plain_text(heading_text))
            if heading_label and heading_label[1]:
                field = FIELD_LABELS.get(normalize_label(heading_label[0]))
                named = canonical_heading(heading_label[0])
                if field or named == "Error messages":
                    # "## Customer: Vandelay (Art ...)", "## **Error:** `x509: ...`": a field.
                    flush()
                    if field:
                        _take_label(ticket, heading_label[0], heading_label[1])
                    else:
                        ticket.add_unique("error_lines", heading_label[1].strip("` "))
                        ticket.fields.setdefault("heading_title", heading_label[1].strip("` "))
                    continue
            canonical = canonical_heading(heading_text)
            private = is_private_heading(heading_text)
            if private or canonical or level <= 2:
                flush()
                if private:
                    ticket.warnings.append(f"dropped section '{heading_text}' (internal)")
                    current, dropping = None, True
                    continue
                dropping = False
                if canonical:
                    current, current_heading = canonical, ""
                else:
                    # An unknown H2 keeps its words as a sub-heading of Additional information.
                    current, current_heading = (
                        "Additional information",
                        extract.plain_text(heading_text),
                    )
                continue
            buffer.append(line)
            continue
        if dropping:
            continue
        row = _TABLE_ROW_RE.match(line)
        if row and current is None:
            # A field table at the top ("| Affected versions | 5.2.0 – 5.2.3 |"): metadata.
            cell, value = extract.plain_text(row.group(1)), row.group(2).strip()
            if re.fullmatch(r"[\s|:-]*", line) or normalize_label(cell) in ("field", "key"):
                continue
            if not _take_label(ticket, cell, value):
                ticket.fields.setdefault(f"label:{normalize_label(cell)}", value)
            continue
        if len(re.findall(r"(?:\*\*|__)[^*_\n]{1,40}:(?:\*\*|__)", line)) >= 2:
            # "**Ticket:** ZD-49002 · **Customer:** Wonka · **Agent:** Priya": several fields.
            for part in re.split(r"\s+[·|•;]\s+", line):
                part_label = parse_label_line(part)
                if part_label and not _take_label(ticket, *part_label):
                    _header_field(ticket, part, *part_label)
            continue
        label = parse_label_line(line)
        if label and _take_label(ticket, label[0], label[1]):
            continue
        if label and current is None and _header_field(ticket, line, label[0], label[1]):
            continue
        if label and label[1] and canonical_heading(label[0]) and not line.startswith(" "):
            flush()
            current, current_heading = canonical_heading(label[0]), ""
            buffer.append(label[1])
            continue
        buffer.append(line)
    flush()
    _use_preamble(ticket, preamble)
    _collect_errors(ticket)
    ticket.title = _title_from(ticket, h1)
    return ticket


def _table_lines(table: str) -> str:
    rows = re.findall(r"<tr\b.*?</tr>", table, flags=re.IGNORECASE | re.DOTALL)
    lines = []
    for row in rows:
        cells = [
            " ".join(re.sub(r"<[^>]+>", " ", c).split())
            for c in re.findall(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", row, flags=re.I | re.S)
        ]
        if len(cells) == 2 and cells[0]:
            lines.append(f"{cells[0]}: {cells[1]}")
        elif cells:
            lines.append(" | ".join(cells))
    return "\n".join(lines)


def _has_section_headings(text: str) -> bool:
    fence = False
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if FENCE_RE.match(line):
            fence = not fence
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if (
            not fence
            and line.strip()
            and not parse_label_line(line)
            and re.match(r"^\s{0,3}(?:=+|-+)\s*$", following)
            and canonical_heading(line)
        ):
            return True  # "Resolution\n----------": a setext heading
        heading = _HEADING_RE.match(line)
        if (
            not fence
            and heading
            and (len(heading.group(1)) >= 2 or canonical_heading(heading.group(2)))
        ):
            return True
    return False


def _as_notes(text: str, options: SourceOptions | None) -> Ticket:
    lines = text.split("\n")
    h1 = ""
    for index, line in enumerate(lines):
        heading = _HEADING_RE.match(line)
        if heading and len(heading.group(1)) == 1:
            h1 = extract.plain_text(heading.group(2))
            del lines[index]
            break
        if line.strip():
            break
    ticket = text_source.parse("\n".join(lines), options)
    ticket.source_format = NAME
    ticket.title = _title_from(ticket, h1)
    return ticket


def _collect_errors(ticket: Ticket) -> None:
    """Code in "Error messages" becomes error lines; so do log blocks in other sections."""
    text = ticket.sections.pop("Error messages", "")
    prose: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        if fence is None and FENCE_RE.match(line):
            fence = FENCE_RE.match(line).group(1)  # type: ignore[union-attr]
            continue
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            elif line.strip():
                ticket.add_unique("error_lines", line.rstrip())
            continue
        if line.startswith(("    ", "\t")) and line.strip():
            ticket.add_unique("error_lines", line[4:] if line.startswith("    ") else line[1:])
        elif line.strip().startswith("`") and line.strip().endswith("`") and line.strip() != "`":
            ticket.add_unique("error_lines", line.strip().strip("`"))
        elif extract.is_error_line(line) and not line.strip().startswith(("-", "*")):
            ticket.add_unique("error_lines", line.strip())
        else:
            prose.append(line)
    if "\n".join(prose).strip():
        ticket.sections["Error messages"] = "\n".join(prose).strip("\n")
    for name in ("Problem", "Troubleshooting"):
        if name in ticket.sections:
            ticket.sections[name] = pull_error_blocks(ticket.sections[name], ticket)


def _take_label(ticket: Ticket, label: str, value: str) -> bool:
    field = FIELD_LABELS.get(normalize_label(label))
    if field is None:
        return False
    if field == "title":
        ticket.title = ticket.title or extract.plain_text(value)
    else:
        apply_field(ticket, field, value)
    return True


def _use_preamble(ticket: Ticket, preamble: list[str]) -> None:
    text = "\n\n".join(p for p in preamble if p.strip())
    if not text.strip():
        return
    if "Problem" not in ticket.sections:
        ticket.sections = {"Problem": text, **ticket.sections}
    else:
        ticket.sections["Problem"] = f"{text}\n\n{ticket.sections['Problem']}"


_TABLE_ROW_RE = re.compile(r"^\s*\|\s*([^|\n]{1,40}?)\s*\|\s*([^|\n]*?)\s*\|\s*$")
_GENERIC_HEADING_RE = re.compile(
    r"^(?:(?:faq|kb|article) candidate|ticket summary|case summary|support notes|"
    r"(?:call |case |ticket )?notes|write-?up|template\b|escalation template)\b[^.!?]{0,60}$",
    re.IGNORECASE,
)
_SUMMARY_LABELS = frozenset({"summary", "short summary", "one-line summary", "tl;dr", "tldr"})
_GENERIC_PREFIX_RE = re.compile(
    r"^(?:(?:ticket|case|zd|zendesk|kb)\s*#?\s*\d*\s*|(?:case |ticket |call |meeting |support |"
    r"incident |debug(?:ging)? |kb )?(?:notes?|write-?up|summary|post-?mortem|draft|recap|"
    r"log|report)|defect(?: summary)?|bug(?: report)?|incident|rca|known issue|kb|faq|how-?to|"
    r"heads[ -]up|psa|fyi|\[[a-z -]{2,20}\])\s*[:\-–—|]?\s*",
    re.IGNORECASE,
)


def _header_field(ticket: Ticket, line: str, label: str, value: str) -> bool:
    """A bold `**Label:** value` line in the header block is metadata, never prose.

    "**Summary:** ..." is a title candidate; any other bold label there is kept as a
    field (`label:<name>`) so it neither leaks into Problem nor into the summary.
    """
    key = normalize_label(label)
    if key in _SUMMARY_LABELS and value and len(value.split()) <= 20:
        ticket.fields.setdefault("summary", extract.plain_text(value))
        return True
    if not value or not re.match(r"^\s*(?:[-*+]\s+)?(?:\*\*|__)", line):
        return False
    if canonical_heading(label):
        return False  # "**Problem:** text" starts a section
    ticket.fields.setdefault(f"label:{key}", value)
    return True


_STATUS_H1_RE = re.compile(
    r"\b(?:resolved|solved|closed|fixed|done|details below|fix first|wip|draft|todo)\b|!!",
    re.IGNORECASE,
)


def _title_from(ticket: Ticket, h1: str) -> str:
    """Subject or title label, else the H1 (a generic prefix cut off), else a Summary label."""
    if ticket.title:
        return ticket.title
    if h1 and _STATUS_H1_RE.search(h1) and not extract.SYMPTOM_RE.search(h1):
        h1 = ""  # "resolved!! - fix first, details below" is the writer's note, not a title
    if h1 and re.match(r"(?i)known issue\b", h1) and ticket.type_hint is None:
        ticket.fields.setdefault("type", "known-issue")
    if h1:
        rest = _GENERIC_PREFIX_RE.sub("", h1, count=1).strip()
        if rest != h1 and len(rest.split()) >= 3:
            return rest
        if not (_GENERIC_H1_RE.search(h1) and len(h1.split()) <= 6):
            return h1
    return ticket.fields.get("heading_title") or ticket.fields.get("summary", "")
