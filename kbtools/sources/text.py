"""Plain text write-ups and pasted chat threads: recover sections from cues."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kbtools import extract
from kbtools.sources import roles
from kbtools.sources.cleanup import without_chat_noise, without_notes_noise
from kbtools.sources.common import (
    CAUSE_CUES,
    FENCE_RE,
    FIELD_LABELS,
    FIX_CUES,
    apply_field,
    canonical_heading,
    is_chatter,
    normalize_label,
    paragraphs,
    parse_label_line,
)
from kbtools.sources.options import SourceOptions
from kbtools.ticket import Ticket

NAME = "text"

_CHAT_RE = re.compile(
    r"^\s*(?:\[(?P<ts>[^\]\n]*\d[^\]\n]*)\]|(?P<ts2>\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?))"
    r"\s*(?P<name>[^:()\[\]\n]{1,40}?)\s*(?:\((?P<team>[^)\n]{1,30})\))?\s*:\s?(?P<msg>.*)$"
)
_TS = r"(?:\d{1,2}/\d{1,2}/\d{2,4},?\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?"
_NAME_SHAPE = r"(?:[A-ZÀ-Ý][\w.'’-]*(?:,?[ \t]+[A-ZÀ-Ý][\w.'’-]*){0,3}|[a-z][\w-]*[._][\w.-]+)"
_SPEAKER = rf"(?P<name>{_NAME_SHAPE})"
_TEAM = r"(?:\s*[(\[](?P<team>[^)\]\n]{1,30})[)\]])?"
_SLACK_HEADER_RE = re.compile(
    rf"^\s*(?:\*\*|__)?{_SPEAKER}(?:\*\*|__)?{_TEAM}(?:\*\*|__)?\s+"
    rf"(?:\[?(?P<ts>{_TS})\]?)\s*$"
    rf"|^\s*\[(?P<ts2>{_TS})\]\s*(?:\*\*|__)?(?P<name2>{_NAME_SHAPE})"
    rf"(?:\*\*|__)?(?:\s*[(\[](?P<team2>[^)\]\n]{{1,30}})[)\]])?\s*$"
)
"""A pasted Slack or Teams message header on its own line: `Maria Lopez  10:02 AM`,
`**Walter Bishop** [8:31 AM]`, `Kowalski, Anna [Cyberdyne]  08:14`, `[11/12/2026 14:03] Gareth`."""
_LOG_LEVEL_RE = re.compile(
    r"^(?:error|eror|warn|warning|info|debug|fatal|panic|crit|trace|dbug|level|t=|lvl)\b",
    re.IGNORECASE,
)
_GREETING_RE = re.compile(
    r"^(?:(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b[^.!?\n]{0,40}[,!.]?|"
    r"(?:good )?(?:morning|afternoon|evening)(?:[ ,]+(?:all|everyone|team|folks|guys|there))?"
    r"[ ,!.:)]*)\s*$",
    re.IGNORECASE,
)
_SIGNOFF_RE = re.compile(
    r"^(?:best|thanks|thank you|cheers|regards|kind regards|best regards|many thanks|"
    r"let (?:me|us) know|please let (?:me|us) know|hope this helps|have a (?:good|great))\b",
    re.IGNORECASE,
)
_TECHNICAL_RE = re.compile(
    r"`|\b(kubectl|helm|docker|logs?|checked|ran|tried|looked|config|setting|restart\w*|"
    r"pod|disk|memory|cpu|env|version|upgrade\w*|database|migration|network|dns|proxy|"
    r"certificate|token|permission|timeout)\b",
    re.IGNORECASE,
)
INTERNAL_TEAMS = frozenset(
    {
        "support",
        "eng",
        "engineering",
        "sales",
        "cs",
        "csm",
        "cse",
        "tse",
        "ce",
        "se",
        "dev",
        "devops",
        "sre",
        "ops",
        "product",
        "pm",
        "docs",
        "team",
        "internal",
        "us",
        "agent",
        "me",
        "staff",
        "l1",
        "l2",
        "l3",
        "tier 1",
        "tier 2",
        "escalations",
        "on-call",
        "oncall",
    }
)


@dataclass
class Block:
    """A paragraph (plain text) or a message (chat), speaker prefix removed."""

    text: str
    speaker: str = ""
    customer: bool = False


def accepts(text: str, name: str) -> bool:
    """The generic fallback: any non-empty text."""
    return bool(text.strip())


def parse(text: str, options: SourceOptions | None = None) -> Ticket:
    """Recover problem, error lines, cause and fix from unstructured text."""
    ticket = Ticket(source_format=NAME)
    blocks = chat_blocks(text, ticket, options or SourceOptions())
    if blocks is None:
        blocks = marked_blocks(_note_items(paragraphs(text)))
    blocks = [b for b in blocks if not _RULE_RE.fullmatch(b.text.strip())]
    _subject_line(blocks, ticket)
    classify(blocks, ticket)
    return ticket


_RULE_RE = re.compile(r"(?:-{3,}|\*{3,}|_{3,}|={3,})")
_MARKER_RE = re.compile(
    r"^[ \t*_#]*(?:(?:(?P<agent>reply|response|answer|update|note|comment)s? from (?:the )?"
    r"(?:support|agent|engineer\w*|our side|us|vendor|tse|cse)|(?:support|agent|engineer|tse|"
    r"cse)(?: (?:reply|response|answer|update))?)|(?P<customer>(?:reply|response|update|"
    r"message) from (?:the )?(?:customer|client|requester|user)|customer|client|requester)"
    r"(?: (?:reply|response|update|wrote|says))?)[ \t*_]*:?[ \t*_]*$",
    re.IGNORECASE,
)
"""A line saying who speaks next in notes: "Reply from support:", "Customer:"."""
_GENERIC_LINE_RE = re.compile(
    r"^(?:kb (?:request|draft|article)|(?:case|ticket|call|support|debug\w*|meeting) notes|"
    r"notes|write-?up|summary|draft|ticket|case|[A-Z]{2,5}-?\d{3,}\b)\b[^.!?]{0,120}$|"
    r"^[^.!?]{0,40}\b(?:notes from|quick write-?up|write-?up of|notes of)\b[^!?\n]{0,200}$",
    re.IGNORECASE,
)


_BULLET_RE = re.compile(r"^\s*[-*+•]\s+")


def _note_items(parts: list[str]) -> list[str]:
    """A bullet list of notes ("- they upgraded ...", "- asked them for ...") is one block a note.

    A list of steps (most items start with a command) stays one block.
    """
    result: list[str] = []
    for part in parts:
        lines = part.split("\n")
        if FENCE_RE.match(lines[0]) or not _BULLET_RE.match(lines[0]):
            result.append(part)
            continue
        items: list[list[str]] = []
        for line in lines:
            if _BULLET_RE.match(line) or not items:
                items.append([_BULLET_RE.sub("", line)])
            else:
                items[-1].append(line.strip())
        steps = sum(1 for item in items if roles.IMPERATIVE_RE.match(item[0]))
        if steps * 2 >= len(items):
            result.append(part)
        else:
            result.extend(" ".join(item) for item in items)
    return result


def marked_blocks(parts: list[str]) -> list[Block]:
    """Paragraphs of notes; after a "Reply from support:" line they are the agent's."""
    if not any(_MARKER_RE.match(p.split("\n", 1)[0]) for p in parts):
        return [Block(p) for p in parts]
    blocks: list[Block] = []
    speaker, customer = "requester", True
    for part in parts:
        first, _, rest = part.partition("\n")
        marker = _MARKER_RE.match(first)
        if marker:
            customer = marker.group("customer") is not None
            speaker = "requester" if customer else "agent"
            part = rest
            if not part.strip():
                continue
        blocks.append(Block(part, speaker, customer))
    return blocks


def _subject_line(blocks: list[Block], ticket: Ticket) -> None:
    """A short opening line without a full stop ("KB request from support") is no problem text.

    Generic lines are dropped; any other becomes the title when none is set, as long as
    labelled sections follow (a template filled in).
    """
    if not blocks or blocks[0].speaker or "\n" in blocks[0].text.strip():
        return
    line = blocks[0].text.strip()
    if _GENERIC_LINE_RE.match(line) and line[-1:] not in ".!?":
        blocks.pop(0)
        return
    if len(line.split()) > 12 or line[-1:] in ".!?:" or parse_label_line(line):
        return
    labelled = any(
        (label := parse_label_line(b.text.split("\n", 1)[0])) and canonical_heading(label[0])
        for b in blocks[1:]
    )
    if _GENERIC_LINE_RE.match(line):
        blocks.pop(0)
    elif labelled and not ticket.title:
        ticket.title = extract.plain_text(line)
        blocks.pop(0)


def chat_blocks(
    text: str, ticket: Ticket, options: SourceOptions | None = None
) -> list[Block] | None:
    """Messages of a chat thread (`[10:02] name (team): ...`), or None when it is not one."""
    lines = text.split("\n")
    matches = [_chat_match(line) for line in lines]
    if sum(1 for m in matches if m) < 2:
        return _slack_blocks(lines, ticket, options or SourceOptions())
    blocks: list[Block] = []
    teams: dict[str, str] = {}
    preamble: list[str] = []
    for line, match in zip(lines, matches, strict=True):
        if match:
            name = " ".join(match.group("name").split())
            teams.setdefault(name, (match.group("team") or "").strip())
            blocks.append(Block(match.group("msg"), name))
        elif blocks:
            blocks[-1].text += "\n" + line
        else:
            preamble.append(line)
    assign_roles(blocks, teams, ticket, options or SourceOptions())
    # Lines above the first message ("Slack export - #channel - date") are metadata.
    return [b for b in blocks if b.text.strip()]


def _slack_blocks(lines: list[str], ticket: Ticket, options: SourceOptions) -> list[Block] | None:
    """Messages of a pasted Slack/Teams thread: a `Name  10:02 AM` line, then the message."""
    headers = [i for i, line in enumerate(lines) if _SLACK_HEADER_RE.match(line)]
    if len(headers) < 2:
        return None
    # Above the first message: "Slack export - #channel - date", "Thread in #x": metadata.
    blocks: list[Block] = []
    speakers: list[Block] = []
    teams: dict[str, str] = {}
    for index, start in enumerate(headers):
        match = _SLACK_HEADER_RE.match(lines[start])
        assert match is not None
        end = headers[index + 1] if index + 1 < len(headers) else len(lines)
        name = " ".join((match.group("name") or match.group("name2")).split()).strip(" ,")
        teams.setdefault(name, (match.group("team") or match.group("team2") or "").strip())
        for paragraph in paragraphs("\n".join(lines[start + 1 : end])):
            speakers.append(Block(paragraph, name))
    assign_roles(speakers, teams, ticket, options)
    return blocks + speakers


def assign_roles(
    blocks: list[Block], teams: dict[str, str], ticket: Ticket, options: SourceOptions
) -> None:
    """Who speaks for the customer: configured agents, team tags, else the first speaker.

    `(support)`, `(eng)` and the names in `kb.new.agents` are agents; a company tag such as
    `(Umbrella Health)` is the customer. Without tags the speaker who opens the thread is
    the customer and everyone else an agent. Speakers become people to redact, and a
    customer's company tag an organization.
    """
    customer: dict[str, bool | None] = {}
    for name, team in teams.items():
        if options.is_agent(name):
            customer[name] = False
        elif team:
            customer[name] = _is_customer_team(team)
        else:
            customer[name] = None
        for spelled in speaker_names(name):
            ticket.add_unique("people", spelled)
        if team and customer[name] and team.lower() not in ("customer", "client", "user"):
            ticket.add_unique("organizations", team)
    if not any(customer.values()):
        opener = next((b.speaker for b in blocks if customer.get(b.speaker) is None), None)
        if opener is not None:
            customer[opener] = True
    for block in blocks:
        block.customer = bool(customer.get(block.speaker))


def speaker_names(name: str) -> list[str]:
    """A speaker as written and, for a handle, as a name: `maria.lopez` -> `Maria Lopez`."""
    names = [name] if name else []
    comma = re.fullmatch(r"\s*([^,]+),\s*([^,]+)\s*", name)
    if comma:
        names.append(f"{comma.group(2)} {comma.group(1)}")
        names.extend(w for w in (comma.group(1), comma.group(2)) if len(w) >= 3)
        return names
    parts = [p for p in re.split(r"[._\-]+", name.split("@", 1)[0]) if p.isalpha()]
    if len(parts) >= 2 and name.lower() == name:
        spelled = " ".join(p.capitalize() for p in parts)
        if spelled not in names:
            names.append(spelled)
    elif len(parts) == 1 and name.islower() and len(parts[0]) >= 3:
        names.append(parts[0].capitalize())
    return names


def _chat_match(line: str) -> re.Match[str] | None:
    match = _CHAT_RE.match(line)
    if not match or _LOG_LEVEL_RE.match(match.group("name").strip()):
        return None
    if len(match.group("name").split()) > 4:
        return None
    return match


def _is_customer_team(team: str) -> bool:
    """A company tag (`Umbrella Health`), not our own team (`support`, `Tessera Support`)."""
    if not team:
        return False
    lowered = team.lower()
    words = set(re.split(r"[\s/&,-]+", lowered))
    return lowered not in INTERNAL_TEAMS and not words & _INTERNAL_WORDS


_INTERNAL_WORDS = frozenset(
    {
        "support",
        "engineering",
        "eng",
        "sre",
        "ops",
        "devops",
        "escalations",
        "staff",
        "agent",
        "tse",
        "cse",
        "csm",
        "success",
        "solutions",
        "services",
        "helpdesk",
        "internal",
    }
)


def classify(blocks: list[Block], ticket: Ticket, *, first: str = "Problem") -> None:
    """Sort blocks into sections: labels first, then error lines, then who says what.

    The problem is the customer's opening (in a chat: the customer's messages until someone
    else speaks; an agent's greeting before it is skipped). Later, an agent's paragraph is
    split by sentence roles: cause sentences go to Cause, fix sentences and steps to
    Resolution, other technical sentences to Troubleshooting, questions nowhere. A customer
    telling what changed on their side gives the Cause. A customer's confirmation
    ("confirmed fixed", "that worked") ends the thread.
    """
    labelled: str | None = None
    previous: str | None = None
    opener: str | None = None
    problem_open = True
    closed = False
    has_customer = any(b.customer for b in blocks if b.speaker)
    for block in _split_labelled(blocks, ticket):
        section, text = block.section, block.text
        if section:
            labelled = section
        elif block.speaker:
            labelled = None  # in a chat a label names one message, not the rest of the thread
        text = _strip_pleasantries(text)
        text = without_notes_noise(text)
        if not text.strip():
            continue
        text = _capitalized(text)
        prose = _pull_errors(text, ticket)
        if not prose.strip() or _LOG_INTRO_RE.match(prose.strip()):
            continue
        if labelled:
            ticket.add_section(labelled, prose)
            previous = labelled
            continue
        if closed:
            continue
        if problem_open and has_customer and block.speaker and not block.customer:
            if opener is None:
                continue  # the agent's "Hi, how can I help?" before the customer speaks
            problem_open = False
        if opener is not None and block.speaker != opener:
            problem_open = False
        if problem_open and (opener is None or block.speaker):
            if is_chatter(prose) and opener is None:
                continue
            opener = block.speaker
            prose = opening(prose) if block.speaker else prose
            if not prose.strip():
                continue
            ticket.add_section(first, prose)
            previous = first
            if not block.speaker:
                problem_open = False
            continue
        if is_chatter(prose) and "`" not in prose:
            continue
        if block.customer and block.speaker:
            closed = _customer_says(prose, ticket)
            continue
        prose = _without_questions(prose)
        if not prose.strip():
            continue
        for bucket, part in _parts(prose, previous, block):
            ticket.add_section(bucket, part)
            previous = bucket


_OPENING_RE = re.compile(
    r"^(?:(?:hey|hi|hello|morning|good (?:morning|afternoon|evening)|yo)(?:[ ,]+(?:folks|all|"
    r"team|there|everyone|guys|y'all|support|[A-Z][a-z]+))?[ ,!.:]*|"
    r"(?:ok(?:ay)?|so|and|also|but|then|basically|anyway|well|oh|um|uh|btw|fyi|right|"
    r"quick (?:one|question)|(?:so )?the thing is|as (?:i|we) said|like i said)\b[ ,.:!-]*)+",
    re.IGNORECASE,
)


def opening(text: str) -> str:
    """The customer's first words without greeting and connectors ("hey folks, and also X").

    A leading "...which is why we think" fragment (the message continues an earlier one)
    is dropped whole.
    """
    text = without_chat_noise(text).lstrip()
    text = re.sub(r"^\s*(?:\.{3}|…)[^.!?\n]*[.!?]\s*", "", text)
    stripped = _OPENING_RE.sub("", text, count=1)
    if stripped != text and stripped.strip():
        text = stripped[:1].upper() + stripped[1:]
    return text


def _without_questions(text: str) -> str:
    """An agent's text without the questions asked (prose lines only; code stays)."""
    out: list[str] = []
    fence = False
    for line in text.split("\n"):
        if FENCE_RE.match(line):
            fence = not fence
        if fence or FENCE_RE.match(line) or line.startswith(("    ", "\t")) or "?" not in line:
            out.append(line)
            continue
        kept = [
            sentence
            for sentence in roles.sentences(line)
            if not roles.is_question(sentence) and not roles.is_acknowledgement(sentence)
        ]
        if kept:
            out.append(" ".join(kept))
    return "\n".join(out)


def _customer_says(prose: str, ticket: Ticket) -> bool:
    """A later customer message: what changed on their side is the cause; True when it closes.

    Facts without a cue ("we are on 5.4.2") stay in Troubleshooting, where the version and
    deployment extraction still sees them; questions and thanks go.
    """
    closing = False
    for sentence in roles.sentences(prose) if roles.is_prose(prose) else [prose]:
        if roles.CLOSE_RE.search(sentence) or _CONFIRM_RE.search(sentence):
            closing = True
            continue
        if roles.is_question(sentence) or is_chatter(sentence):
            continue
        if roles.CHANGE_RE.search(sentence) or roles.CAUSE_RE.search(sentence):
            ticket.add_section("Cause", _sentence_case(sentence))
        elif _TECHNICAL_RE.search(sentence) and not closing:
            ticket.add_section("Troubleshooting", sentence)
    return closing


def _sentence_case(sentence: str) -> str:
    """ "oh wait, I just heard back from X: they shortened ..." -> "They shortened ..." """
    match = re.match(
        r"^(?:(?:oh|ok|okay|so|also|btw|fyi|update|actually|wait)\b[ ,!.:-]*)+"
        r"(?:i (?:just )?(?:heard back|found out|learned|checked)[^:,]{0,60}[:,]\s*)?",
        sentence,
        re.IGNORECASE,
    )
    if match and match.end() < len(sentence):
        rest = sentence[match.end() :]
        return rest[:1].upper() + rest[1:]
    return sentence


def _parts(prose: str, previous: str | None, block: Block) -> list[tuple[str, str]]:
    """Where an agent's (or an unattributed) paragraph goes, split by sentence roles."""
    if not roles.is_prose(prose):
        bucket = _bucket(prose, previous, block)
        return [(bucket, prose)] if bucket else []
    runs = roles.split_roles(prose)
    if len(runs) <= 1:
        bucket = _bucket(prose, previous, block)
        if runs and runs[0][0] is not None and bucket != runs[0][0] and bucket is not None:
            bucket = runs[0][0]
        return [(bucket, runs[0][1] if runs else prose)] if bucket else []
    result: list[tuple[str, str]] = []
    for name, text in runs:
        bucket = name or _bucket(text, previous, block)
        if bucket:
            result.append((bucket, text))
            previous = bucket
    return result


@dataclass
class _Labelled(Block):
    section: str | None = None


def _split_labelled(blocks: list[Block], ticket: Ticket) -> list[_Labelled]:
    """Blocks with `Label: value` fields recorded, split where a section label starts a line."""
    result: list[_Labelled] = []
    for block in blocks:
        for section, text in _take_labels(block.text.strip("\n"), ticket):
            result.append(_Labelled(text, block.speaker, block.customer, section))
    return result


def _take_labels(text: str, ticket: Ticket) -> list[tuple[str | None, str]]:
    """Record `Label: value` fields; split the text where a line starts with a section label."""
    parts: list[tuple[str | None, str]] = []
    section: str | None = None
    body: list[str] = []
    in_fence = False
    lines: list[str] = []
    for line in text.split("\n"):
        # "Version: 5.2.4 · Deployment: Helm on GKE": several fields on one line.
        pieces = re.split(r"\s+[·•|]\s+", line) if re.search(r"\s[·•|]\s", line) else [line]
        labelled = all(parse_label_line(p) for p in pieces)
        lines.extend(pieces if len(pieces) > 1 and labelled else [line])
    for line in lines:
        if FENCE_RE.match(line):
            in_fence = not in_fence
        label = None if in_fence or line.startswith((" ", "\t")) else parse_label_line(line)
        if label:
            field = FIELD_LABELS.get(normalize_label(label[0]))
            if field == "title":
                ticket.title = ticket.title or label[1].strip()
                continue
            if (
                normalize_label(label[0]) in ("summary", "short summary", "tl;dr")
                and not ticket.sections
                and not parts
                and 0 < len(label[1].split()) <= 20
            ):
                ticket.fields.setdefault("summary", label[1].strip())
                ticket.title = ticket.title or extract.plain_text(label[1])
                continue
            if field and label[1]:
                apply_field(ticket, field, label[1])
                continue
            canonical = canonical_heading(label[0])
            if canonical:
                if body:
                    parts.append((section, "\n".join(body).strip("\n")))
                    body = []
                section = canonical
                line = label[1]
        body.append(line)
    parts.append((section, "\n".join(body).strip("\n")))
    return parts


_LOG_INTRO_RE = re.compile(
    r"^(?:here (?:is|are)|attached|see (?:the )?(?:attached|below)|i(?:'ve| have) attached)\b"
    r"[^\n]{0,80}(?:logs?|output|errors?|screenshots?|trace)\b[^\n]{0,40}[:.]?$",
    re.IGNORECASE,
)
_CONFIRM_RE = re.compile(
    r"^(?:that|this|it)?\s*(?:worked|works|fixed it|did it|did the trick|solved it)\b|"
    r"\b(?:is|are) (?:working|syncing|fast|fine) (?:again|now)\b|\bworks now\b",
    re.IGNORECASE,
)
_CONTINUATION_RE = re.compile(
    r"^(?:```|~~~|    |[-*+] |\d+[.)] |\$ |then\b|next\b|after that\b|finally\b|also\b|"
    r"and\b|once\b)",
    re.IGNORECASE,
)


def _bucket(prose: str, previous: str | None, block: Block) -> str | None:
    stripped = prose.strip()
    if block.customer and _CONFIRM_RE.search(stripped) and len(stripped.split()) < 25:
        return None
    if roles.is_prose(stripped):
        found = roles.role(stripped)
    else:
        # A list or code with an intro line: the intro ("two things that will fix this:")
        # or the first list item ("1. scale searcher ...") tells the role.
        lines = [ln.strip() for ln in stripped.split("\n") if ln.strip()]
        intro = lines[0] if lines else ""
        item = next(
            (
                re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", ln)
                for ln in lines
                if re.match(r"^(?:[-*+]|\d+[.)])\s+", ln)
            ),
            "",
        )
        found = roles.role(intro) if not intro.startswith(("```", "~~~")) else None
        if found is None and item and roles.IMPERATIVE_RE.match(item):
            found = "Resolution"
    if found is None and roles.CLOSE_RE.search(stripped) and len(stripped.split()) < 12:
        return None
    if found is None and (FIX_CUES.search(prose) or roles.IMPERATIVE_RE.match(stripped)):
        found = "Resolution"
    if found is None and CAUSE_CUES.search(prose):
        found = "Cause"
    if found:
        return found
    if previous in ("Resolution", "Cause") and _CONTINUATION_RE.match(prose):
        return previous
    if block.speaker and stripped.endswith("?"):
        return None
    if block.speaker and not _TECHNICAL_RE.search(prose):
        return None
    return "Troubleshooting"


_PLEASANTRY_RE = re.compile(
    r"^(?:(?:hi|hello|hey|dear)\b[^,.!\n]{0,30}[,.!]\s*|"
    r"(?:thanks|thank you|many thanks)\b[^.!\n]{0,60}[.!]\s*|"
    r"(?:is )?any ?(?:one|body) (?:around|there|available|online|here)\b[^.!?\n]{0,20}[?!.]+\s*|"
    r"(?:good )?(?:morning|afternoon|evening)(?: (?:all|everyone|team|folks|there))?[,.!]+\s*|"
    r"(?:i |we )?hope (?:you|all|everyone|everything|this|your)\b[^.!?,\n]{0,60}(?:[,.!]+\s*|$)|"
    r"quick (?:one|question)\s*[:.!,\-]+\s*|"
    r"sorry (?:to|for) (?:bother|the)\b[^.!?,\n]{0,40}[,.!]+\s*|"
    r"how are (?:you|things)(?: doing)?\s*[?!.]+\s*)",
    re.IGNORECASE,
)


_COMMAND_WORDS = frozenset(
    {"kubectl", "helm", "docker", "git", "curl", "src", "psql", "sudo", "redis-cli", "ssh"}
)


def _capitalized(text: str) -> str:
    """A chat message starts a sentence: "we are on 5.2.6" -> "We are on 5.2.6".

    Only a plain lower-case word is changed; commands and service names keep their case.
    """
    match = re.match(r"([a-z]+)(?=[ ,'])", text)
    if not match or match.group(1) in _COMMAND_WORDS:
        return text
    if match.group(1) in extract.KNOWN_SERVICES:
        return text
    return text[:1].upper() + text[1:]


def _strip_pleasantries(text: str) -> str:
    if _GREETING_RE.match(text.strip()):
        return ""
    previous = None
    while previous != text:
        previous = text
        text = _PLEASANTRY_RE.sub("", text, count=1)
    return _strip_signoff(text)


def _strip_signoff(text: str) -> str:
    lines = text.split("\n")
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not _SIGNOFF_RE.match(stripped):
            continue
        if len(stripped.split()) <= 3 or re.match(r"(?i)^(?:let|please|hope)", stripped):
            return "\n".join(lines[:index]).rstrip()
    # "Then run X. Let me know if that helps." keeps its first sentence.
    return re.sub(
        r"\s*(?:Let (?:me|us) know|Please let (?:me|us) know|Hope this helps)\b.*$",
        "",
        text,
        flags=re.IGNORECASE | re.DOTALL,
    )


def pull_error_blocks(text: str, ticket: Ticket) -> str:
    """Move fenced blocks that are mostly log lines into `ticket.error_lines`."""
    return _pull_errors(text, ticket, single_lines=False)


def _pull_errors(text: str, ticket: Ticket, *, single_lines: bool = True) -> str:
    """Move log and error lines into `ticket.error_lines`; return the remaining prose."""
    kept: list[str] = []
    in_fence = False
    fence_open = "```"
    fence_lines: list[str] = []
    for line in text.split("\n"):
        if FENCE_RE.match(line):
            if in_fence:
                errors = [ln for ln in fence_lines if extract.is_error_line(ln)]
                if errors and len(errors) * 2 >= len([ln for ln in fence_lines if ln.strip()]):
                    ticket.add_unique("error_lines", *fence_lines)
                else:
                    kept.extend([fence_open, *fence_lines, fence_open.strip()[:3]])
                fence_lines = []
            else:
                fence_open = line.strip()
            in_fence = not in_fence
            continue
        if in_fence:
            fence_lines.append(line)
        elif single_lines and extract.is_error_line(line) and not _is_sentence(line):
            ticket.add_unique("error_lines", line.strip())
        else:
            kept.append(line)
    if in_fence:
        kept.extend([fence_open, *fence_lines, fence_open[:3]])
    return "\n".join(kept).strip("\n")


def _is_sentence(line: str) -> bool:
    """Prose that mentions an error ("we saw an error when...") is not a log line."""
    stripped = line.strip()
    words = stripped.split()
    if len(words) < 6 or extract.LOG_PREFIX_RE.match(stripped) or "=" in stripped:
        return False
    starts_like_prose = bool(
        re.match(
            r"^(?:we|they|i|the|when|after|it|this|our|their|customer|users?|since)\b",
            stripped,
            re.IGNORECASE,
        )
    )
    if starts_like_prose or (stripped[-1:] in ".!?" and ": " not in stripped[:40]):
        return True
    # A chat message without final punctuation: several sentences, or a long run of plain
    # words ("...now keeps crashing with OOMKilled every few minutes, and uploads are stuck").
    if re.search(r"[a-z]{2}[.!?] [A-Z][a-z]", stripped) and ": " not in stripped[:40]:
        return True
    plain = sum(1 for w in words if re.fullmatch(r"[A-Za-z][a-z']*[,.;]?", w))
    return len(words) >= 10 and ": " not in stripped and plain >= 0.8 * len(words)
