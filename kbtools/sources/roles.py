"""Sentence roles: which sentences of a mixed paragraph state the cause, the fix, or a question.

An agent's reply often says everything in one paragraph ("The root cause is X, because Y.
Please set Z and restart. After the restart it works again."). The input formats split such
paragraphs here, so each sentence lands in one section: never in two.
"""

from __future__ import annotations

import re

CAUSE = "Cause"
FIX = "Resolution"

CAUSE_RE = re.compile(
    r"\b(?:root[ -]cause|caused by|because|due to|turned out|turns out|the (?:issue|problem|reason) "
    r"(?:is|was)|the cause|cause (?:is|was)|the reason|this happens (?:when|if|because)|"
    r"happen(?:s|ed) because|was triggered by|is triggered by|comes from|came from|"
    r"the culprit|stems from|results? from|resulted from|is why|was why|that'?s why|"
    r"(?:was|were|got|had been|has been) (?:reset|changed|overwritten|removed|deleted|wiped|"
    r"lost|cleared|rotated|renamed|revoked|expired|disabled) (?:by|when|during|after|in)|"
    r"which means|which is why|(?:which|that|this) (?:caused|causes|broke|breaks)|caused the|"
    r"(?:, |; | - | – )so (?:the|it|all|every|people|users|nothing|no|"
    r"your|our|they|requests?)|(?:still|never) (?:serves?|points?|holds?|uses?|has|have|"
    r"contains?|reached|got|runs?|sends?|reads?)|(?:are|is) pinned|can(?:no|')t keep up|"
    r"blocks? (?:outbound|inbound|all|the|port|traffic)|hits? (?:the |its )?(?:max|limit)|"
    r"runs? out of|ran out of|is too (?:small|low|short|old)|are too (?:small|low|few)|"
    r"(?:has|have) no \w+(?: \w+)? (?:at all|any ?more)|"
    r"is (?:not|no longer) (?:leader-elected|enforced|set|configured|supported|trusted)|"
    r"does not (?:trust|include|contain|support)|doesn't (?:trust|include|contain|support))\b",
    re.IGNORECASE,
)
"""Cue phrases of a cause ("root cause", "because", "the issue was", "caused by")."""

FIX_RE = re.compile(
    r"\b(?:fix(?:ed)? (?:it|this|that|the|by|was)|fixed in|we fixed|to fix|the fix|fix is|"
    r"resolved (?:it|this|by|the)|to resolve|resolve (?:it|this) by|can resolve|"
    r"workaround|work around|to work around|the solution|solution (?:is|was)|solved (?:it|by)|"
    r"to solve|(?:you|we) (?:need|needed|have|had) to|you(?:'ll| will) need to|"
    r"to get (?:past|around|(?:it|this|things) (?:working|running|going))|"
    r"to (?:recover|restore|unblock|get (?:it|this|them) back)|"
    r"(?:you|we) (?:can|should|must) (?:now )?(?:set|run|add|raise|increase|restart|update|"
    r"change|remove|delete|mount|upgrade|edit|apply|enable|disable|configure|rotate|grant|"
    r"use|replace|clear|revert|roll back|downgrade|reset|point|create|scale)|"
    r"after (?:we |you |they |i )?(?:ran|running|run|set|setting|increas\w*|rais\w*|restart\w*|"
    r"upgrad\w*|chang\w*|updat\w*|remov\w*|add\w*|apply\w*|applied|rotat\w*|redeploy\w*|"
    r"re-?ran|grant\w*|the (?:upgrade|restart|change|update|fix|redeploy))\b[^.]{0,80}"
    r"\b(?:works?|worked|working|fine|again|stays?|stayed|gone|succeed\w*|normal|up)\b|"
    r"(?:\b(?:run|set|add|restart|upgrade|apply|execute|use|create|delete|remove)|:\s*run) `|"
    r"(?:we|i|they) (?:(?:then|finally|also) )?(?:changed|set|increased|raised|added|removed|"
    r"restarted|updated|upgraded|created|built|installed|ran|re-?ran|moved|switched|extended|"
    r"rotated|applied|patched|granted|re-?enabled|disabled|enabled|replaced|reverted|cleared|"
    r"deleted|recreated|redeployed|scaled|mounted|bumped))\b",
    re.IGNORECASE,
)
"""Cue phrases of a fix ("to fix", "resolved by", "workaround", "after ... it works again")."""

IMPERATIVE_RE = re.compile(
    r"^(?:(?:please|so|then|now|next|first|finally|also|just|simply|instead)[ ,]+)*"
    r"(?:set|run|add|raise|increase|restart|update|change|remove|delete|mount|upgrade|edit|"
    r"apply|enable|disable|configure|rotate|re-?run|scale|grant|open|enter|click|reload|"
    r"reinstall|install|create|point|use|replace|clear|recreate|redeploy|revert|roll back|"
    r"downgrade|re-?enable|reset|drop|move|switch|make sure|ensure|bump|patch|lower|"
    r"reduce|allow|whitelist|allowlist|add|renew|regenerate|reindex|re-?index|trigger|"
    r"purge|prune|free|expand|resize|extend|upload|copy|import|export|restore|roll|kill|"
    r"uncomment|comment out|re-?create|re-?deploy|re-?start|give|put|assign|double|map|"
    r"go to|navigate|select|choose|paste|turn (?:on|off)|append|insert|specify|provide|"
    r"re-?sync|resync|sync|flush|truncate|vacuum|unset|pass|define|register|reissue|"
    r"re-?issue|download|mark|tag|label|annotate|exclude|include|limit|cap|bind|expose|"
    r"trust|import|point|wait for|check that|verify)\b|"
    r"^(?:(?:then|and|so|finally|also)[ ,]+)?(?:re-?created|restarted|upgraded|raised|increased|"
    r"added|removed|deleted|replaced|changed|updated|rotated|reinstalled|ran(?! on\b)|re-?ran|"
    r"applied|"
    r"mounted|granted|set|reset|cleared|recreated|redeployed|rolled back|reverted|downgraded|"
    r"scaled|bumped|expanded|resized|enabled|disabled|re-?enabled|patched|renewed|regenerated|"
    r"reindexed|purged|pruned|freed|moved|switched|pointed|configured|fixed)\b",
    re.IGNORECASE,
)
"""A sentence that starts with a command verb is a step of the fix."""

CLOSE_RE = re.compile(
    r"\b(?:confirmed (?:fixed|working|resolved)|(?:that|this|it) (?:worked|works|did it|did the "
    r"trick|fixed it|solved it|was it)|works (?:now|again)|(?:is|are) (?:working|syncing|fast|"
    r"fine|back|up) (?:again|now)|(?:no|nobody) \w+ (?:since|for)|all good now|issue is gone|"
    r"problem is gone|we can close|you can close|feel free to close|closing (?:the|this))\b",
    re.IGNORECASE,
)
"""A confirmation that the fix worked: the thread is over."""

CHANGE_RE = re.compile(
    r"\b(?:we|they|someone|somebody|(?:our|their|the) (?:\w+ )?(?:team|admins?|administrators?|"
    r"it|security team|network team|ops|owner|dba))\b[^.?!]{0,50}?"
    r"\b(?:changed|rotated|shortened|lowered|reduced|updated|moved|migrated|renamed|deleted|"
    r"removed|switched|enabled|disabled|added|replaced|turned (?:on|off)|upgraded|installed|"
    r"rebuilt|reinstalled|recreated|reimaged|redeployed|scaled|lowered|raised|copied|pasted|"
    r"rolled out|introduced|tightened|expired|revoked|edited|modified|reconfigured)\b",
    re.IGNORECASE,
)
"""A customer telling what changed on their side: the cause, in their words."""

_SENTENCE_END_RE = re.compile(r"(?<=[.!?])(?:[\"')\]]*)\s+(?=[\"'(\[]?[A-Z0-9`*])")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "approx.", "cf.", "no.")


def sentences(paragraph: str) -> list[str]:
    """The sentences of one prose paragraph, text kept as written (line breaks included)."""
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(paragraph):
        head = paragraph[start : match.start()]
        if head.rstrip().lower().endswith(_ABBREVIATIONS) or _inside_code(paragraph, match.start()):
            continue
        parts.append(head.strip())
        start = match.end()
    parts.append(paragraph[start:].strip())
    return [p for p in parts if p]


def _inside_code(text: str, offset: int) -> bool:
    return text.count("`", 0, offset) % 2 == 1


_ANSWER_RE = re.compile(
    r"^(?:yes|no|yep|nope|correct|unfortunately(?: not)?|not yet|it does|it doesn't|it is|"
    r"it isn't|you can|you can't|you cannot)\b[,. ]",
    re.IGNORECASE,
)
"""An agent answering the customer's question: the answer itself."""


def role(sentence: str) -> str | None:
    """`Cause`, `Resolution`, or None for a sentence that states neither."""
    if _ANSWER_RE.match(sentence.strip()):
        return FIX
    fix = bool(FIX_RE.search(sentence) or IMPERATIVE_RE.match(sentence.lstrip("-*+ 0123456789.)")))
    cause = bool(CAUSE_RE.search(sentence) or CHANGE_RE.search(sentence))
    if fix and cause:
        # "To fix it, set X because Y" is a step; "The cause is X, so we fixed Y" states both:
        # the cue that comes first decides.
        fix_at = _first(FIX_RE, sentence, IMPERATIVE_RE)
        cause_at = min(_first(CAUSE_RE, sentence), _first(CHANGE_RE, sentence))
        return FIX if fix_at <= cause_at else CAUSE
    if fix:
        return FIX
    if cause:
        return CAUSE
    return None


def _first(pattern: re.Pattern[str], text: str, imperative: re.Pattern[str] | None = None) -> int:
    positions = [m.start() for m in [pattern.search(text)] if m]
    if imperative is not None and imperative.match(text.lstrip("-*+ 0123456789.)")):
        positions.append(0)
    return min(positions, default=len(text))


def is_question(sentence: str) -> bool:
    """A question (the agent asking for logs is no troubleshooting step)."""
    stripped = sentence.strip().rstrip(")\"'")
    return stripped.endswith("?")


def is_prose(paragraph: str) -> bool:
    """True for a paragraph of sentences (no code, list, table, quote or heading)."""
    if "```" in paragraph or "~~~" in paragraph:
        return False
    return not any(
        re.match(r"^\s*(?:[-*+] |\d+[.)] |\||>|#|    |\t)", line) for line in paragraph.split("\n")
    )


_ACK_RE = re.compile(
    r"^(?:(?:ok(?:ay)?|great|thanks|right|ah|perfect|got it)[,!. ]+)*(?:that|this|it)"
    r" (?:explains(?: it| that| everything)?|makes sense)\b[^.!?]{0,30}[.!]*$|"
    r"(?:^|\b)(?:let me (?:check|look|see|confirm|dig)|checking (?:now|on it)|one (?:sec|moment)|"
    r"give me a (?:sec|minute|moment)|looking into it|brb|no wait)\b|"
    r"^(?:we|i) (?:have )?(?:looked at|checked|reviewed|went through|had a look at|took a look at|"
    r"analy[sz]ed) (?:the|your) [\w -]{1,40}[.!]?$",
    re.IGNORECASE,
)
"""An acknowledgement ("That explains it.") states nothing itself."""


def is_acknowledgement(sentence: str) -> bool:
    """ "That explains it.", "let me check", "one sec": says nothing about the problem."""
    return bool(_ACK_RE.search(sentence.strip()))


def split_roles(paragraph: str) -> list[tuple[str | None, str]]:
    """The paragraph cut into runs of sentences with one role each, in order.

    A sentence without a cue joins the run before it ("Set X. Then restart Y."), except at
    the start, where it stands alone (role None). Questions are dropped.
    """
    runs: list[tuple[str | None, list[str]]] = []
    for sentence in sentences(paragraph):
        if is_question(sentence) or is_acknowledgement(sentence):
            continue
        found = role(sentence)
        if runs and (found is None or found == runs[-1][0]):
            runs[-1][1].append(sentence)
        else:
            runs.append((found, [sentence]))
    return [(name, " ".join(parts)) for name, parts in runs]
