"""People named where write-ups name them: greetings, sign-offs, signatures, mail headers.

`kb new` redacts for recall: a name found once (in "Hi Priya," or "Regards,\\nMaria Lopez")
is redacted in every later mention too, through the RedactionContext. The same patterns
let the input formats drop greetings, sign-offs and signature blocks from the article.
"""

from __future__ import annotations

import re

NAME_WORD = r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+(?:-[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+)?"
"""One capitalized word of a name: `Maria`, `O'Neil`, `Jean-Luc`."""
_NAME = rf"{NAME_WORD}(?:[ \t]+(?:(?:van|von|de|da|del|der|la|le|di)[ \t]+)?{NAME_WORD}){{0,2}}"
_EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,24}"

_NOT_NAMES_WORDS = """
    all everyone everybody team folks guys there support sir madam colleagues friends
    again so much very for the a an you yours ok okay thanks thank cheers regards best
    good morning afternoon evening hello hi hey dear kind warm many sincerely greetings
    sourcegraph engineering ops devops sre admin admins customer customers user users
    monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday
    please just quick update following sorry also update note fyi re fwd it this that we
    i he she they yes no sure great perfect awesome cool nice wow hope
    """
NOT_NAMES = frozenset(_NOT_NAMES_WORDS.split())
"""Capitalized words after "Hi" or "Thanks" that are not a person's name."""

GREETING_RE = re.compile(
    rf"^[ \t>*_]*(?:hi|hello|hey|dear|hiya|morning|good (?:morning|afternoon|evening)|"
    rf"thanks|thank you|thx|ty|cheers)[ \t,]+(?:@)?(?P<names>{_NAME}(?:[ \t]*(?:,|and|&)[ \t]*"
    rf"(?:@)?{_NAME})*)[ \t]*[,!.:;]",
    re.IGNORECASE | re.MULTILINE,
)
SIGNOFF_RE = re.compile(
    r"^[ \t>*_]*(?:thanks(?: again| a lot| so much)?|thank you(?: again| so much)?|"
    r"many thanks|thx|cheers|all the best|best regards|kind regards|warm regards|best wishes|"
    r"best|regards|br|sincerely|greetings|talk soon|speak soon|rgds|ta)(?![\w'])[ \t]*[,.!]?"
    r"(?P<rest>[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)
"""A line that closes a message: the name (and a signature) may follow it."""
DASH_NAME_RE = re.compile(rf"^[ \t>]*(?:--|—|–|~)[ \t]*(?P<name>{_NAME})[ \t]*$", re.MULTILINE)
"""`-- Jane` or `— Jane Doe` alone on a line."""
NAME_LINE_RE = re.compile(
    rf"^[ \t>*_]*(?P<name>{_NAME})[ \t]*(?:[|,–—\-][^\n]{{0,80}}|\(?<?{_EMAIL}>?\)?[^\n]{{0,40}})?$"
)
"""A line that is a name, maybe with a title or email after it (a sign-off's next line)."""
_ADDRESSED_RE = re.compile(
    rf"(?P<name>{_NAME})[ \t]*(?:<(?P<a>{_EMAIL})>|\([ \t]*(?:mailto:)?(?P<b>{_EMAIL})[ \t]*\)|"
    rf"\[(?P<c>{_EMAIL})\])"
)
"""`Jane Doe <jane@acme.com>`, `Jane Doe (jane@acme.com)`."""
_QUOTED_ADDRESSED_RE = re.compile(
    rf"\"(?P<last>{NAME_WORD}),[ \t]*(?P<first>{NAME_WORD})\"[ \t]*<{_EMAIL}>"
)
"""`"Doe, Jane" <jane@acme.com>` (Outlook's display name)."""
_WROTE_RE = re.compile(
    rf"^[ \t>]*On [^\n]{{4,80}}?,[ \t]*(?P<name>{_NAME})[ \t]*(?:<{_EMAIL}>|\({_EMAIL}\))?[ \t]*"
    r"wrote:[ \t]*$",
    re.MULTILINE,
)
"""`On Tue, 4 Jun 2024 at 10:02, Jane Doe <jane@acme.com> wrote:`."""
_BY_RE = re.compile(
    rf"\b(?i:reported|raised|opened|submitted|requested|filed|escalated|sent in|sent|asked)"
    rf"[ \t]+(?i:by)[ \t|:*]+(?P<name>{_NAME})(?:,[ \t]*(?P<org>{_NAME}))?|"
    rf"\b(?i:contact|cc|customer contact|csm|tam|account manager|account executive|agent|"
    rf"assignee|their (?:sre|admin|dev|engineer|cto|lead))(?:[ \t:|*]|<[^<>\n]{{0,12}}>)+"
    rf"(?P<name2>{_NAME})"
)
"""`reported by Kelly Kapoor`, `(contact Monica Geller`, `their SRE Carlos Ruiz`."""
SIGNATURE_LINE_RE = re.compile(
    r"(?i)^[ \t>*_]*(?:(?:tel|phone|mobile|mob|cell|office|direct|fax|m|t|p|e|w)[.:]?[ \t]*[+(\d]|"
    r"\+?\d[\d ().\-]{6,}\d[ \t]*$|"
    r"(?:www\.|https?://)\S+[ \t]*$|"
    r"[^\n]{0,60}\b(?:engineer|manager|director|lead|architect|administrator|admin|developer|"
    r"consultant|specialist|analyst|officer|head of|vp|cto|ceo|sre|devops|team|department|"
    r"inc\.?|ltd\.?|llc|gmbh|corp\.?|corporation|s\.a\.|street|st\.|avenue|ave\.|road|suite|floor)"
    r"\b[^\n]{0,60}$|"
    r"\S+@\S+\.\S+[ \t]*$|"
    r"(?:sent|get|posted) (?:from|via|with) (?:my )?[^\n]{1,30}$|"
    r"[^\n]{0,40}\b\d{4,5}\b[^\n]{0,40}$|"
    r"[^\n]{0,60}\b(?:way|st|street|ave|avenue|road|rd|blvd|lane|ln|drive|dr|plaza|park|"
    r"straße|strasse|platz)\b[^\n]{0,60}$|"
    r"[A-Z][\w&' .-]{1,40}(?:inc|ltd|llc|gmbh|ag|corp|co|industries|systems|software|"
    r"technologies|labs|group|plc)\.?[ \t]*$)"
)
"""A line of a signature block: title, company, phone, address, web site."""


def _is_name(candidate: str) -> bool:
    words = candidate.split()
    if not words or any(w.lower().strip("'’") in NOT_NAMES for w in words):
        return False
    return not (_ORG_SUFFIX_RE.search(candidate) or _TITLE_WORDS_RE.search(candidate))


def _split_names(text: str) -> list[str]:
    return [
        " ".join(part.split())
        for part in re.split(r"[ \t]*(?:,|\band\b|&)[ \t]*", text)
        if part.strip()
    ]


def people_in_text(text: str) -> list[str]:
    """Names of people in greetings, sign-offs, signatures and mail headers of `text`."""
    found: list[str] = []

    def add(name: str) -> None:
        name = " ".join(name.split()).strip(" ,.;:")
        if name and _is_name(name) and name not in found:
            found.append(name)

    for match in GREETING_RE.finditer(text):
        for name in _split_names(match.group("names")):
            add(name)
    for match in _ADDRESSED_RE.finditer(text):
        add(match.group("name"))
    for match in _QUOTED_ADDRESSED_RE.finditer(text):
        add(f"{match.group('first')} {match.group('last')}")
    for match in _WROTE_RE.finditer(text):
        add(match.group("name"))
    for match in DASH_NAME_RE.finditer(text):
        add(match.group("name"))
    for match in _BY_RE.finditer(text):
        add(match.group("name") or match.group("name2"))
    for match in re.finditer(r"(?<![\w@])@([a-z]{2,}[._][a-z]{2,})\b", text):
        handle = match.group(1)
        add(" ".join(p.capitalize() for p in re.split(r"[._]", handle)))
        if handle not in found:
            found.append(handle)
    lines = text.split("\n")
    for index, line in enumerate(lines):
        piped = _PIPED_SIGNATURE_RE.match(line.strip(" \t>"))
        if piped or _name_led(lines, index):
            name_line = NAME_LINE_RE.match(line.strip(" \t>"))
            if name_line:
                add(name_line.group("name"))
            continue
        signoff = SIGNOFF_RE.match(line) or _BARE_DASH_RE.match(line)
        if not signoff:
            continue
        rest = (signoff.groupdict().get("rest") or "").strip(" ,.!-–—")
        if rest:
            same_line = NAME_LINE_RE.match(rest)
            if same_line and len(rest.split()) <= 4:
                add(same_line.group("name"))
            continue
        following = next((ln for ln in lines[index + 1 : index + 3] if ln.strip()), "")
        name_line = NAME_LINE_RE.match(following)
        if name_line:
            add(name_line.group("name"))
    return found


_BARE_DASH_RE = re.compile(r"^[ \t>]*(?:--|—|–|__)[ \t]*$")
_PIPED_SIGNATURE_RE = re.compile(
    rf"^(?P<name>{_NAME})[ \t]*[|·][^\n]*(?:{_EMAIL}|\+?\d[\d ().\-]{{6,}}\d)[^\n]*$"
)
"""`Peter Gibbons | Initech | peter@initech.example | 512-555-0143` on one line."""


def signature_start(lines: list[str]) -> int | None:
    """Where a closing sign-off and signature block begins in a message's lines, if it has one.

    The sign-off ("Thanks,", "Best regards, Maria") must be followed only by short
    signature lines (a name, a title, a phone number, an address) up to the end.
    """
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        signoff = SIGNOFF_RE.match(line)
        dash = DASH_NAME_RE.match(line) or _BARE_DASH_RE.match(line)
        if _PIPED_SIGNATURE_RE.match(stripped.lstrip("> ")) and not any(
            ln.strip() for ln in lines[index + 1 :]
        ):
            return index
        if signoff:
            rest = signoff.group("rest").strip(" ,.!-–—")
            if rest and not (NAME_LINE_RE.match(rest) and len(rest.split()) <= 4):
                continue
        elif not dash:
            if _name_led(lines, index):
                return index
            continue
        tail = [ln for ln in lines[index + 1 :] if ln.strip()]
        if len(tail) <= 8 and all(_signature_line(ln) for ln in tail):
            return index
    return None


DISCLAIMER_RE = re.compile(
    r"^[ \t>*_]*(?:confidentiality notice|confidential(?:ity)?:|disclaimer|legal notice|"
    r"this (?:e-?mail|message|communication)(?: and any attachments?)? (?:is|are|and|may|contains?)|"
    r"the information (?:in|contained in) this|if you (?:are not|have received) |"
    r"please consider the environment|think before you print)",
    re.IGNORECASE,
)
"""The legal footer a mail client adds: part of the signature, never of the article."""


def _signature_line(line: str) -> bool:
    stripped = line.strip()
    if DISCLAIMER_RE.match(stripped):
        return True
    if len(stripped) > 90 or stripped.startswith(("```", "~~~", "    ")):
        return False
    return bool(
        NAME_LINE_RE.match(stripped)
        or SIGNATURE_LINE_RE.match(stripped)
        or re.fullmatch(r"[-_=*~ ]{2,}", stripped)
    )


_ORG_SUFFIX_RE = re.compile(
    r"\b(?:inc|ltd|llc|gmbh|ag|corp|corporation|company|co|industries|systems|software|"
    r"technologies|labs|group|holdings|plc|sa|bv|nv|oy|ab|s\.a|solutions|partners|& sons)\.?$",
    re.IGNORECASE,
)
_ORG_NAME_RE = re.compile(
    r"^[A-Z][\w&'’.-]*(?:[ \t]+(?:(?:&|of|and|the|de|du|von|und)[ \t]+)?[A-Z][\w&'’.-]*){0,4}$"
)


def organizations_in_text(text: str) -> list[str]:
    """Company names in signature blocks ("DevTools Lead | Stark Industries", "Contoso Ltd").

    A part of a signature line that is capitalized words and is neither the person's name,
    a job title, a phone number nor an address; or any name ending in Inc, Ltd, Systems...
    """
    found: list[str] = []
    people = {p.lower() for p in people_in_text(text)}
    lines = text.split("\n")
    for index, line in enumerate(lines):
        starts = (
            SIGNOFF_RE.match(line)
            or DASH_NAME_RE.match(line)
            or _BARE_DASH_RE.match(line)
            or _name_led(lines, index)
            or _PIPED_SIGNATURE_RE.match(line.strip(" \t>"))
        )
        if not starts:
            continue
        block = lines[index : index + 7]
        for sig in block:
            for part in re.split(
                r"[ \t]*(?:[|·•]|,|[ \t]-[ \t]|[ \t]–[ \t])[ \t]*", sig.strip(" >")
            ):
                part = part.strip(" .")
                if not part or "@" in part or re.search(r"\d", part):
                    continue
                if not _ORG_NAME_RE.match(part) or _TITLE_WORDS_RE.search(part):
                    continue
                if part.lower() in people or SIGNOFF_RE.match(part):
                    continue
                piped = "|" in sig or "·" in sig
                if (
                    _ORG_SUFFIX_RE.search(part)
                    or (len(part.split()) >= 2 and sig is not block[0])
                    or (piped and not sig.strip(" >").startswith(part))
                ):
                    core = (
                        _ORG_SUFFIX_RE.sub("", part).strip(" ,.") if len(part.split()) > 1 else part
                    )
                    first = part.split()[0]
                    partners = len(part.split()) > 2 and part.split()[1] in ("&", "and")
                    for name in (part, core, first if partners else ""):
                        if (
                            name
                            and len(name) >= 3
                            and name not in found
                            and _is_name(name) is not None
                        ):
                            found.append(name)
    return [o for o in found if o.lower() not in NOT_NAMES]


_TITLE_WORDS_RE = re.compile(
    r"\b(?:engineer|manager|director|lead|architect|administrator|admin|developer|consultant|"
    r"specialist|analyst|officer|head|vp|cto|ceo|cio|ciso|sre|devops|team|department|support|"
    r"senior|staff|principal|junior|platform|infrastructure|operations|it|security|regional|"
    r"experience|services|datenschutz)\b",
    re.IGNORECASE,
)


def _name_led(lines: list[str], index: int) -> bool:
    """A signature without a sign-off: a name line, then title/company/phone lines to the end."""
    line = lines[index].strip(" \t>")
    match = NAME_LINE_RE.match(line)
    if not match or len(line) > 90 or not _is_name(match.group("name")):
        return False
    tail = [ln for ln in lines[index + 1 :] if ln.strip()]
    return (
        1 <= len(tail) <= 5
        and all(_signature_line(ln) for ln in tail)
        and any(SIGNATURE_LINE_RE.match(ln.strip()) for ln in tail)
    )
