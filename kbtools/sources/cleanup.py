"""What every input format needs after parsing: one place for each sentence, no sign-offs.

- A sign-off and signature block ("Best regards,\\nNadia Petrova\\nPlatform Engineer") ends no
  section of an article.
- A paragraph appears once: the requester's first comment often repeats the description.
- A Resolution paragraph that also states the root cause gives that sentence to an empty
  Cause (and a Cause paragraph that says the fix fills an empty Resolution).
- The type hint: Question and Answer make a FAQ, or a how-to when the question asks how.
"""

from __future__ import annotations

import re

from kbtools.sensitive.names import DISCLAIMER_RE, GREETING_RE, signature_start
from kbtools.sources import roles
from kbtools.sources.common import FENCE_RE, paragraphs
from kbtools.ticket import Ticket

_PROSE_SECTIONS = ("Problem", "Troubleshooting", "Cause", "Resolution", "Workaround", "Answer")
_GREETING_LINE_RE = re.compile(
    r"^[ \t>*_]*(?:(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b[^.!?\n]{0,40}"
    r"[,!.:]?|(?:thanks|thank you)[ \t]+(?:for (?:reaching out|contacting|the (?:logs|details|"
    r"info\w*|update|quick reply)|your (?:patience|help|email|message|reply))|again)[^.!?\n]{0,60}"
    r"[.!]?)[ \t]*$",
    re.IGNORECASE,
)
_HOW_RE = re.compile(
    r"^(?:how (?:do|can|should|would|to)|what(?:'s| is) the (?:best|right|recommended) way to|"
    r"steps to|procedure)\b",
    re.IGNORECASE,
)


def tidy(ticket: Ticket) -> None:
    """Signatures and greetings out, repeated paragraphs out, sentences where they belong."""
    for name in list(ticket.sections):
        text = _without_signature(without_chat_noise(ticket.sections[name]))
        text = "\n\n".join(
            cleaned for p in paragraphs(text) if (cleaned := without_notes_noise(p)).strip()
        )
        if text.strip():
            ticket.sections[name] = text
        else:
            del ticket.sections[name]
    _drop_disclaimers(ticket)
    _balance_roles(ticket)
    _drop_repeats(ticket)
    _drop_dangling_intros(ticket)
    if ticket.type_hint is None:
        ticket.type_hint = type_hint(ticket)
    if ticket.type_hint == "known-issue" or ticket.fields.get("type") == "known-issue":
        _status_sentences(ticket)


_NOTES_NOISE_RE = re.compile(
    r"^(?:we |i )?asked (?:them|him|her|the customer|customer|if|for|whether|about|to)\b|"
    r"\b(?:said|says) thanks\b|\bwill (?:update|follow up|circle back|check back|let us know)\b|"
    r"^(?:follow(?:ed)?[ -]up|next steps?|todo)\b",
    re.IGNORECASE,
)


_ASKED_PREFIX_RE = re.compile(
    r"^(?:<[^>]+>)*(?:the )?(?:customer|client|user)s? (?:asked|asks|wants|wanted|needs|needed|"
    r"would like)\b[^—–:\n]{0,120}?(?:</[^>]+>)*\s*[—–:]\s*",
    re.IGNORECASE,
)


def without_notes_noise(text: str) -> str:
    """Notes about the conversation ("asked them for a heap profile", "said thanks") go."""
    stripped = _ASKED_PREFIX_RE.sub("", text, count=1)
    if stripped != text and stripped.strip():
        text = stripped[:1].upper() + stripped[1:]  # "Customer asked (...) — they need X"
    if not _NOTES_NOISE_RE.search(text) or not roles.is_prose(text):
        return text
    kept = []
    for sentence in roles.sentences(text):
        # "Asked if they changed TZ -> no." reads as two clauses: judge the first.
        if not _NOTES_NOISE_RE.search(re.split(r"\s(?:->|=>)\s", sentence, maxsplit=1)[0]):
            kept.append(sentence)
    return " ".join(kept)


_LEADING_GREETING_RE = re.compile(
    r"^(?:hi|hello|hey|dear)(?: (?:team|all|everyone|folks|there|support))?[ \t]*[,!][ \t]*"
    r"(?=\S)",
    re.IGNORECASE,
)


_NOISE_RE = re.compile(
    r"(?<![\w:/]):[a-z0-9_+\-]{2,30}:(?![\w/])|(?<!\w)@(?:channel|here|everyone)\b|"
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d]"
)


def without_chat_noise(text: str) -> str:
    """Emoji, `:shortcodes:` and `@channel` out of prose (code is left as written)."""
    out: list[str] = []
    fence = False
    for line in text.split("\n"):
        if FENCE_RE.match(line):
            fence = not fence
        if fence or line.startswith(("    ", "\t")):
            out.append(line)
            continue
        parts = re.split(r"(`[^`\n]*`)", line)
        cleaned = "".join(
            part if part.startswith("`") else _NOISE_RE.sub("", part) for part in parts
        )
        out.append(re.sub(r"[ \t]{2,}", " ", cleaned).rstrip() if cleaned != line else line)
    return "\n".join(out)


def _without_signature(text: str) -> str:
    lines = text.split("\n")
    # A greeting line ("Hi Nadia,") opens a message, not a section.
    while lines and (not lines[0].strip() or _is_greeting(lines[0])):
        lines.pop(0)
    if lines:
        # "Hi team, rachel reported that ..." -> "Rachel reported that ..."
        rest = _LEADING_GREETING_RE.sub("", lines[0], count=1)
        if rest != lines[0]:
            lines[0] = rest[:1].upper() + rest[1:]
    start = signature_start(lines)
    if start is not None and not _inside_fence(lines, start):
        lines = lines[:start]
    return "\n".join(lines).strip("\n")


def _is_greeting(line: str) -> bool:
    stripped = line.strip()
    if _GREETING_LINE_RE.match(stripped):
        return True
    match = GREETING_RE.match(stripped)
    return bool(match and match.end() >= len(stripped.rstrip()))


def _inside_fence(lines: list[str], index: int) -> bool:
    return sum(1 for line in lines[:index] if FENCE_RE.match(line)) % 2 == 1


def _key(paragraph: str) -> str:
    return " ".join(re.sub(r"[*_`>]", "", paragraph).lower().split()).rstrip(".!:")


_INTERNAL_NOTE_RE = re.compile(
    r"(?i)\b(?:ping|ask|dm|message|tag|cc)\s+@[\w.-]+|"
    r"(?<![\w&])#[a-z0-9][a-z0-9_-]*(?:internal|support|eng|escalat|ops|team|private)[a-z0-9_-]*\b|"
    r"\b(?i:several|many|multiple|\d+) (?i:customers) (?i:hit|reported|ran into|have seen)\b"
)
"""A note for colleagues ("ping @maria.lopez in #support-internal"): no article text."""


_TEMPLATE_NOTE_RE = re.compile(
    r"^[\s>*_]*(?:template|ticket template|form|escalation template)\s*:[^\n]*$", re.IGNORECASE
)
"""Which form the writer filled in ("> _Template: Escalation (v3)_"): not article text."""


def _drop_disclaimers(ticket: Ticket) -> None:
    """A mail footer ("CONFIDENTIALITY NOTICE: ...") or a note for colleagues goes."""
    for name in list(ticket.sections):
        kept = [
            p
            for p in paragraphs(ticket.sections[name])
            if not DISCLAIMER_RE.match(p)
            and not _TEMPLATE_NOTE_RE.match(p)
            and not (_INTERNAL_NOTE_RE.search(p) and roles.is_prose(p) and len(p.split()) <= 40)
        ]
        if kept:
            ticket.sections[name] = "\n\n".join(kept)
        else:
            del ticket.sections[name]


def _drop_repeats(ticket: Ticket) -> None:
    """Each paragraph once in the whole ticket (the first section that has it keeps it)."""
    seen: set[str] = set()
    for name in list(ticket.sections):
        kept: list[str] = []
        for paragraph in paragraphs(ticket.sections[name]):
            key = _key(paragraph)
            if key and key in seen:
                continue
            seen.add(key)
            kept.append(paragraph)
        if kept:
            ticket.sections[name] = "\n\n".join(kept)
        else:
            del ticket.sections[name]


def _drop_dangling_intros(ticket: Ticket) -> None:
    """ "The worker logs show:" once the log lines moved to Error messages introduces nothing."""
    for name in list(ticket.sections):
        parts = paragraphs(ticket.sections[name])
        kept: list[str] = []
        for index, paragraph in enumerate(parts):
            following = parts[index + 1] if index + 1 < len(parts) else ""
            introduces = bool(re.match(r"^\s*(?:```|~~~|    |\t|[-*+] |\d+[.)] |\|)", following))
            if (
                paragraph.rstrip().endswith(":")
                and "\n" not in paragraph.strip()
                and len(paragraph.split()) <= 14
                and not introduces
            ):
                continue
            kept.append(paragraph)
        if kept:
            ticket.sections[name] = "\n\n".join(kept)
        else:
            del ticket.sections[name]


def _balance_roles(ticket: Ticket) -> None:
    """Move cause sentences out of Resolution into an empty Cause, and fix sentences back.

    Notes that put everything under one heading (or none) say the cause and the fix in later
    paragraphs of the Problem: those sentences go to an empty Cause or Resolution too. The
    Problem's first paragraph, the customer's own description, always stays.
    """
    for source, target in (
        ("Resolution", "Cause"),
        ("Cause", "Resolution"),
        ("Problem", "Cause"),
        ("Problem", "Resolution"),
    ):
        if ticket.section(target) or not ticket.section(source):
            continue
        kept: list[str] = []
        moved: list[str] = []
        carry = False
        for index, paragraph in enumerate(paragraphs(ticket.sections[source])):
            if carry and not roles.is_prose(paragraph):
                moved.append(paragraph)  # the command or list the moved sentence introduced
                continue
            carry = False
            if not roles.is_prose(paragraph) or (source == "Problem" and index == 0):
                kept.append(paragraph)
                continue
            runs = roles.split_roles(paragraph)
            if not any(name == target for name, _ in runs):
                kept.append(paragraph)
                continue
            stay = [text for name, text in runs if name != target]
            moved.extend(text for name, text in runs if name == target)
            carry = runs[-1][0] == target and runs[-1][1].rstrip().endswith(":")
            if stay:
                kept.append(" ".join(stay))
        if not moved or not kept:
            continue  # a section made only of the other role stays as written
        ticket.sections[source] = "\n\n".join(kept)
        ticket.sections[target] = "\n\n".join(moved)


_KNOWN_ISSUE_RE = re.compile(r"\b(?:this is|it'?s|is) a known (?:issue|bug|problem)\b", re.I)
_STATUS_RE = re.compile(
    r"\b(?:(?:is|was|will be|gets?) fixed in|fix(?:ed)? (?:is )?(?:planned|scheduled|coming|"
    r"ships|released)|fixed version|engineering is (?:on it|working)|no fix (?:yet|planned))\b",
    re.I,
)


def _status_sentences(ticket: Ticket) -> None:
    """A known issue: "It is fixed in 5.2.4" is its Status, not part of the workaround."""
    if ticket.section("Status") or not ticket.section("Resolution"):
        return
    kept: list[str] = []
    status: list[str] = []
    for paragraph in paragraphs(ticket.sections["Resolution"]):
        if not roles.is_prose(paragraph) or not _STATUS_RE.search(paragraph):
            kept.append(paragraph)
            continue
        parts = roles.sentences(paragraph)
        status.extend(p for p in parts if _STATUS_RE.search(p))
        rest = [p for p in parts if not _STATUS_RE.search(p)]
        if rest:
            kept.append(" ".join(rest))
    if status and kept:
        ticket.sections["Resolution"] = "\n\n".join(kept)
        ticket.sections["Status"] = " ".join(status)


def type_hint(ticket: Ticket) -> str | None:
    """The article type the shape of the write-up suggests, or None."""
    names = set(ticket.sections)
    tags = {t.lower().replace("_", "-").replace(" ", "-") for t in ticket.tags}
    if tags & {"known-issue", "known-bug"} or _KNOWN_ISSUE_RE.search(ticket.all_text()):
        return "known-issue"
    question = ticket.section("Question")
    if "Question" in names and ("Answer" in names or "Steps" in names):
        answer = ticket.section("Answer") or ticket.section("Steps")
        if _HOW_RE.match(question.strip()) or _numbered_steps(answer) >= 2:
            return "how-to"
        return "faq"
    if "Goal" in names or ("Steps" in names and "Problem" not in names):
        return "how-to"
    asked = _question_asked(ticket.section("Problem"))
    if asked and not ticket.error_lines and "Resolution" in names:
        # The customer asked how to do something, or whether something is so; an answer
        # made of numbered steps is a procedure.
        steps = len(re.findall(r"(?m)^\s*\d+[.)]\s+\S", ticket.section("Resolution")))
        if _HOW_RE.match(asked) or _WAY_RE.search(asked) or steps >= 3:
            return "how-to"
        if _YES_NO_RE.match(asked) and not _SYMPTOM_WORDS_RE.search(ticket.section("Problem")):
            return "faq"
    if "Workaround" in names and ("Status" in names or "Affected versions" in names):
        return "known-issue"
    return None


_WAY_RE = re.compile(
    r"\b(?:is there a (?:documented |supported |recommended )?way to|how (?:do|can|should) "
    r"(?:we|i|you)|what(?:'s| is) the (?:best|right|recommended|supported) way to)\b",
    re.IGNORECASE,
)
_YES_NO_RE = re.compile(
    r"^(?:can|does|do|is|are|should|will|would|what|which|where|when|why|how (?:long|many|much|"
    r"often))\b",
    re.IGNORECASE,
)
_SYMPTOM_WORDS_RE = re.compile(
    r"\b(?:error|fail\w*|broken|crash\w*|stuck|timeout|times? out|cannot|can't|not working)\b",
    re.IGNORECASE,
)


def _question_asked(problem: str) -> str:
    """The first question of the customer's opening, or ""."""
    for sentence in roles.sentences(" ".join(problem.split("\n\n")[:2])):
        if sentence.rstrip().endswith("?"):
            return sentence.strip()
    return ""


def _numbered_steps(text: str) -> int:
    return len(re.findall(r"(?m)^\s*(?:\d+[.)]|[-*+])\s+\S", text))
