"""Pasted email threads: `From:` / `Sent:` / `Subject:` headers, quoted replies, signatures.

A thread pasted from a mail client reads newest first (each reply above the message it
answers, after `-----Original Message-----` or `On ..., Jane wrote:`). The messages are put
back in the order they were written, quoted copies dropped, and the sender of the first
message (with everyone at their domain) is the customer; `kb.new.agents` names support.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from kbtools.sensitive.names import signature_start
from kbtools.sources.common import paragraphs, split_person
from kbtools.sources.html import html_to_text, looks_like_html
from kbtools.sources.options import SourceOptions
from kbtools.sources.text import Block, classify, speaker_names
from kbtools.ticket import Ticket

NAME = "email"

_HEADER_RE = re.compile(
    r"^[ \t>]*(?P<key>from|sent|date|to|cc|bcc|subject|reply-to|importance)[ \t]*:[ \t]*"
    r"(?P<value>.*)$",
    re.IGNORECASE,
)
_SEPARATOR_RE = re.compile(
    r"^[ \t>]*(?:-{2,}[ \t]*(?:original message|forwarded message)[ \t]*-{2,}|_{10,}|"
    r"begin forwarded message:)[ \t]*$",
    re.IGNORECASE,
)
_WROTE_RE = re.compile(
    r"^[ \t>]*on\b.{4,120}?\bwrote:[ \t]*$|^[ \t>]*am\b.{4,120}?\bschrieb\b.{0,60}:[ \t]*$|"
    r"^[ \t>]*[A-Z][\w.'’-]+(?:,? [A-Z][\w.'’-]+){0,3}[ \t]*(?:<[^>\n]+>|\([^)\n]+\))?[ \t]*"
    r"wrote:[ \t]*$",
    re.IGNORECASE,
)
_WROTE_WHO_RE = re.compile(
    r"(?:,[ \t]*|^[ \t>]*)(?P<who>[^,<>()\n]{2,60}?(?:,[ \t]*[A-Z][\w'’-]+)?)[ \t]*"
    r"(?:<(?P<a>[^>]+)>|\((?P<b>[^)]+)\))?[ \t]*wrote:",
    re.IGNORECASE,
)
_SUBJECT_PREFIX_RE = re.compile(r"^(?:(?:re|fw|fwd|aw|sv|wg)\s*(?:\[\d+\])?\s*:\s*)+", re.I)


@dataclass
class Message:
    """One mail of the thread."""

    sender: str = ""
    address: str = ""
    subject: str = ""
    sent: str = ""
    to: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)


def accepts(text: str, name: str) -> bool:
    """True for text with a mail header block (`From:` then `Sent:`/`Date:`/`To:`/`Subject:`)."""
    lines = text.split("\n")
    for index, line in enumerate(lines[:400]):
        match = _HEADER_RE.match(line)
        if not match or match.group("key").lower() != "from" or "@" not in line:
            continue
        following = [_HEADER_RE.match(ln) for ln in lines[index + 1 : index + 5]]
        keys = {m.group("key").lower() for m in following if m}
        if keys & {"sent", "date", "to", "subject"}:
            return True
    return False


def parse(text: str, options: SourceOptions | None = None) -> Ticket:
    """The thread's messages, oldest first, classified like a chat."""
    options = options or SourceOptions()
    ticket = Ticket(source_format=NAME)
    messages = _messages(text.split("\n"))
    for message in messages:
        joined = "\n".join(message.body)
        if looks_like_html(joined):
            message.body = html_to_text(joined).split("\n")
        message.subject = re.sub(r"<[^<>]+>", "", message.subject).strip()
    support = _support_domains(messages)

    def is_agent(message: Message) -> bool:
        domain = message.address.rpartition("@")[2].lower()
        return options.is_agent(message.sender, message.address) or domain in support

    if _newest_first(messages, is_agent):
        messages.reverse()
    messages = [m for m in messages if any(line.strip() for line in m.body)]
    subjects = [m.subject for m in messages if m.subject]
    if subjects:
        ticket.title = _SUBJECT_PREFIX_RE.sub("", subjects[0]).strip()
    customer_domain = ""
    customer_names: set[str] = set()
    blocks: list[Block] = []
    for index, message in enumerate(messages):
        for spelled in speaker_names(message.sender):
            ticket.add_unique("people", spelled)
        if message.address:
            ticket.add_unique("emails", message.address)
        domain = message.address.rpartition("@")[2].lower()
        agent = is_agent(message)
        if not customer_names and not customer_domain and not agent:
            # The thread's first sender is the customer; so is anyone at their domain.
            customer_domain = domain
            customer_names = {_person_key(n) for n in speaker_names(message.sender) if n}
        names = {_person_key(n) for n in speaker_names(message.sender) if n}
        customer = not agent and (
            bool(names & customer_names) or (bool(domain) and domain == customer_domain)
        )
        body = message.body
        start = signature_start(body)
        if start is not None:
            body = body[:start]
        if _forwarding_note(body):
            continue  # "Hi team, forwarding from our ops guy, can you help?"
        # One customer, however many addresses they write from: their words open the thread.
        speaker = "customer" if customer else message.address or message.sender or f"sender-{index}"
        for paragraph in paragraphs("\n".join(body)):
            blocks.append(Block(paragraph, speaker, customer))
    classify(blocks, ticket)
    return ticket


_FORWARD_RE = re.compile(
    r"\b(?:forwarding|forwarded|fwd|see (?:the )?(?:thread|message|mail|email)s? below|"
    r"see below|as discussed|please (?:see|have a look)|passing (?:this|it) on)\b",
    re.IGNORECASE,
)


def _forwarding_note(body: list[str]) -> bool:
    """A short note that only passes the message below on."""
    text = " ".join(line.strip() for line in body if line.strip())
    return bool(_FORWARD_RE.search(text)) and len(text.split()) <= 45 and "`" not in text


def _person_key(name: str) -> str:
    """`Gomez, Luis` and `Luis Gomez` are one person."""
    return " ".join(sorted(re.sub(r"[^\w ]", " ", name.lower()).split()))


_ROLE_LOCALS = frozenset({"support", "help", "helpdesk", "service", "tickets", "servicedesk"})


def _support_domains(messages: list[Message]) -> set[str]:
    """Domains of the support team: where `support@`-style addresses live."""
    domains: set[str] = set()
    for message in messages:
        for address in [message.address, *message.to]:
            local, _, domain = address.lower().rpartition("@")
            if local in _ROLE_LOCALS and domain:
                domains.add(domain)
    return domains


def _messages(lines: list[str]) -> list[Message]:
    """Split at header blocks, separators and `wrote:` lines; quoted lines lose their `>`."""
    messages: list[Message] = []
    current = Message()
    index = 0
    while index < len(lines):
        line = lines[index]
        if _SEPARATOR_RE.match(line):
            messages.append(current)
            current = Message()
            index += 1
            continue
        wrote = _WROTE_RE.match(line)
        if wrote:
            messages.append(current)
            current = Message()
            who = _WROTE_WHO_RE.search(line)
            if who:
                current.sender = " ".join(who.group("who").split())
                current.address = (who.group("a") or who.group("b") or "").strip()
            index += 1
            continue
        header = _HEADER_RE.match(line)
        if header and header.group("key").lower() == "from":
            if any(ln.strip() for ln in current.body) or current.sender:
                messages.append(current)
                current = Message()
            index = _read_headers(lines, index, current)
            continue
        current.body.append(re.sub(r"^[ \t]*>+[ \t]?", "", line))
        index += 1
    messages.append(current)
    return [m for m in messages if m.sender or any(ln.strip() for ln in m.body)]


def _read_headers(lines: list[str], index: int, message: Message) -> int:
    """Read a `From:`/`Sent:`/`To:`/`Subject:` block into `message`; the next line's index."""
    while index < len(lines):
        header = _HEADER_RE.match(lines[index])
        if not header:
            break
        key, value = header.group("key").lower(), header.group("value").strip()
        if key == "from":
            name, emails = split_person(value)
            message.sender = name.strip('"')
            message.address = emails[0] if emails else ""
        elif key == "subject":
            message.subject = value
        elif key in ("sent", "date"):
            message.sent = value
        elif key in ("to", "cc"):
            message.to.extend(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", value))
        index += 1
    return index


def _newest_first(messages: list[Message], is_agent: Callable[[Message], bool]) -> bool:
    """True when the thread reads newest first (the usual top posting of mail clients)."""
    dates = [d for d in (_date(m.sent) for m in messages) if d is not None]
    if len(dates) >= 2 and dates[0] != dates[-1]:
        return dates[0] > dates[-1]
    if len(messages) >= 2 and messages[0].subject and not _reply_depth(messages[0].subject):
        # The first mail is an original (no "RE:"): the replies follow it.
        return bool(is_agent(messages[0]))
    subjects = [m.subject for m in messages if m.subject]
    if len(subjects) >= 2:
        first, last = _reply_depth(subjects[0]), _reply_depth(subjects[-1])
        if first != last:
            return first > last
    # Top posting: the text above `-----Original Message-----` answers the text below it.
    return len(messages) >= 2


def _reply_depth(subject: str) -> int:
    match = _SUBJECT_PREFIX_RE.match(subject)
    return len(re.findall(r":", match.group(0))) if match else 0


_DATE_FORMATS = (
    "%A, %B %d, %Y %I:%M %p",
    "%a, %d %b %Y %H:%M:%S %z",
    "%a, %d %b %Y %H:%M",
    "%a, %b %d, %Y at %I:%M %p",
    "%Y-%m-%d %H:%M",
    "%d %B %Y %H:%M",
    "%B %d, %Y %I:%M %p",
    "%A, %d %B %Y %H:%M",
)


def _date(value: str) -> dt.datetime | None:
    value = re.sub(r"\s+", " ", value.strip())
    value = re.sub(r"\s*\([A-Z]{2,5}\)$|\s+[A-Z]{3,4}$", "", value)
    for form in _DATE_FORMATS:
        try:
            parsed = dt.datetime.strptime(value, form)
        except ValueError:
            continue
        return parsed.replace(tzinfo=None)
    return None
