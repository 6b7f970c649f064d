"""Facts recovered from a write-up: versions, deployment, services, product area, errors, title."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from kbtools.match import rules as match_rules
from kbtools.ticket import Ticket

TITLE_MAX = 90

# What makes a line an error line is data shared with the site's error panel (rules.json).
_ERROR_LINE = match_rules.load().data["error_line"]
LOG_PREFIX_RE = match_rules.compiled(_ERROR_LINE["log_prefix"])
_LEVEL_RE = match_rules.compiled(_ERROR_LINE["level"])
_ERROR_RE = match_rules.compiled(_ERROR_LINE["phrase"])
_CASE_SENSITIVE_LEVELS = match_rules.compiled(_ERROR_LINE["case_levels"])
_MAX_ERROR_LINE = int(_ERROR_LINE["max_length"])

_MASKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
        ),
        "<ts>",
    ),
    (re.compile(r"\b\d{4}[-/]\d{2}[-/]\d{2}\b"), "<date>"),
    (re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\b"), "<time>"),
    (
        re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I),
        "<uuid>",
    ),
    (re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b"), "<ip>"),
    (re.compile(r"\b[0-9a-f]{7,}\b", re.I), "<hex>"),
    (re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)*-[a-z0-9]{8,10}-[a-z0-9]{5}\b"), "<pod>"),
    (re.compile(r"\b\d+(?:\.\d+)?(?:ms|s|m|h|ki|mi|gi|kb|mb|gb|b)?\b", re.I), "<num>"),
)
"""Variable parts of log lines (Drain3-style masking) so two reports of one error compare equal."""

VERSION_RE = re.compile(
    r"(?<![\w.])v?(\d{1,2}\.\d{1,3}(?:\.\d{1,4})?(?:-rc\.?\d+)?)(?![\w.]*\d)(?!\.\d)"
)
_VERSION_CONTEXT_RE = re.compile(
    r"\b(?:version|versions|release|upgrad\w*|downgrad\w*|from|to|on|running|sourcegraph|"
    r"instance|since|in|after|before|v)\s*:?\s*$",
    re.IGNORECASE,
)

DEPLOYMENT_KEYWORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind["name"], match_rules.compiled(kind))
    for kind in match_rules.load().data["deployment"]["kinds"]
)
"""Deployment kinds and the words that name them (data in rules.json, shared with the site)."""
DEPLOYMENT_LABELS = {
    "kubernetes": "Kubernetes",
    "helm": "Kubernetes (Helm)",
    "kustomize": "Kubernetes (Kustomize)",
    "docker-compose": "Docker Compose",
    "docker-single-container": "single-container Docker",
    "aws-ami": "AWS AMI",
    "machine-image": "a machine image",
    "bare-metal": "bare metal",
    "cloud": "Sourcegraph Cloud",
}

_ENVIRONMENT_NAMES = {
    "kubernetes": re.compile(r"\b(?:kubernetes|k8s|eks|gke|aks|openshift)\b", re.I),
    "docker-compose": re.compile(r"\bdocker[- ]compose\b", re.I),
}
"""Words that name the environment in a title ("pods" implies Kubernetes but does not say it)."""

KNOWN_SERVICES = (
    "frontend",
    "gitserver",
    "zoekt-webserver",
    "zoekt-indexserver",
    "searcher",
    "symbols",
    "worker",
    "repo-updater",
    "precise-code-intel-worker",
    "pgsql",
    "codeintel-db",
    "codeinsights-db",
    "redis-cache",
    "redis-store",
    "blobstore",
    "minio",
    "prometheus",
    "grafana",
    "jaeger",
    "syntect-server",
    "otel-collector",
    "migrator",
    "executor",
    "embeddings",
    "cody-gateway",
    "nginx",
    "cadvisor",
    "node-exporter",
)
_AMBIGUOUS_SERVICES = frozenset(
    {"frontend", "worker", "symbols", "searcher", "executor", "embeddings"}
)

PRODUCT_AREA_KEYWORDS: dict[str, tuple[str, ...]] = {
    "install": (
        "install",
        "installation",
        "helm install",
        "initial setup",
        "first start",
        "deploy",
        "deployment fails",
        "bootstrap",
    ),
    "upgrades": (
        "upgrade",
        "upgrading",
        "upgraded",
        "migrator",
        "migration",
        "downgrade",
        "multi-version",
        "drift",
        "schema",
    ),
    "auth": (
        "saml",
        "oidc",
        "sso",
        "login",
        "log in",
        "sign in",
        "signin",
        "authentication",
        "auth provider",
        "okta",
        "azure ad",
        "ldap",
        "scim",
        "access token",
        "permissions",
        "authorization",
        "repository permissions",
        "private repos",
        "private repositories",
        "logged out",
        "oauth",
        "2fa",
        "session",
        "openid",
    ),
    "search": (
        "search",
        "zoekt",
        "searcher",
        "indexed",
        "index",
        "query",
        "results",
        "structural search",
        "regex",
    ),
    "storage": (
        "disk",
        "pvc",
        "volume",
        "storage",
        "postgres",
        "pgsql",
        "database",
        "blobstore",
        "minio",
        "s3",
        "gcs",
        "bucket",
        "full",
        "space",
        "codeintel-db",
    ),
    "networking": (
        "proxy",
        "ingress",
        "tls",
        "certificate",
        "x509",
        "dns",
        "nginx",
        "firewall",
        "timeout",
        "load balancer",
        "http_proxy",
        "ssl",
        "network",
        "dial tcp",
    ),
    "observability": (
        "prometheus",
        "grafana",
        "jaeger",
        "metrics",
        "tracing",
        "alert",
        "dashboard",
        "monitoring",
        "otel",
        "logs",
    ),
    "code-intelligence": (
        "precise",
        "scip",
        "lsif",
        "code intelligence",
        "code intel",
        "go to definition",
        "find references",
        "hover",
        "codeintel",
    ),
    "batch-changes": ("batch change", "batch changes", "batch spec", "src batch", "changeset"),
    "admin": ("site admin", "site config", "license", "user management", "admin"),
    "code-hosts": (
        "code host",
        "github",
        "gitlab",
        "bitbucket",
        "perforce",
        "repo-updater",
        "gitserver",
        "clone",
        "sync",
        "rate limit",
    ),
}

_INTERNAL_TAG_RE = re.compile(
    r"^(?:priority|prio|p[0-4]$|sla|tier|csm|escalat|customer|org|acct|account|enterprise|"
    r"premium|vip|urgent|closed|solved|pending|open|new|hold|agent|group|team|macro|"
    r"zd|zendesk|jira|slack|internal|churn|renewal|arr)",
    re.IGNORECASE,
)


def is_error_line(line: str) -> bool:
    """True for log and error lines worth keeping verbatim."""
    stripped = line.strip()
    if not stripped or len(stripped) > _MAX_ERROR_LINE:
        return False
    return bool(_LEVEL_RE.search(stripped) or _ERROR_RE.search(stripped)) or bool(
        LOG_PREFIX_RE.match(stripped) and _CASE_SENSITIVE_LEVELS.search(stripped)
    )


def mask(text: str) -> str:
    """Replace timestamps, ids, IPs and numbers with placeholders."""
    for pattern, placeholder in _MASKS:
        text = pattern.sub(placeholder, text)
    return " ".join(text.split())


def unique_error_lines(lines: Iterable[str]) -> list[str]:
    """Error lines verbatim, repeats (equal once masked) removed, order kept."""
    seen: set[str] = set()
    result: list[str] = []
    for line in lines:
        line = line.rstrip()
        if not line.strip():
            continue
        key = mask(line)
        if key in seen:
            continue
        seen.add(key)
        result.append(line)
    return result


_FIX_BEFORE_RE = re.compile(
    r"(?:fixed in|fix(?:ed)? (?:is )?(?:planned |coming |scheduled |ships |lands )?(?:for|in)|"
    r"will be fixed in|resolved in|patched in|released in|available in|ships in|"
    r"newer than|at least)"
    r"(?: the| version| release| sourcegraph| chart| v)*\s*:?\s*$",
    re.IGNORECASE,
)


def versions(ticket: Ticket) -> list[str]:
    """Affected versions: from the labelled field, else from version-like words in prose.

    In prose a full `x.y.z` counts anywhere the customer describes the problem (title,
    Problem, Environment, Troubleshooting), a short `x.y` only after a word such as
    "version" or "on"; versions after "fixed in" or "upgrade to" are not affected ones.
    When full versions are found, short ones are dropped ("5.2 uses more memory").
    """
    field = ticket.fields.get("version", "")
    if field:
        found = [m.group(1) for m in VERSION_RE.finditer(field)]
        if found:
            return _unique(found)
    found = []
    text = "\n".join(
        [
            ticket.title,
            ticket.section("Problem"),
            ticket.section("Environment"),
            ticket.section("Troubleshooting"),
            ticket.section("Affected versions"),
            ticket.fields.get("summary", ""),
        ]
    )
    text = _without_code(re.sub(r"`v?(\d+\.\d+(?:\.\d+)?)`", r"\1", text))
    fixed = fixed_version(ticket)
    for match in VERSION_RE.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        explicit_v = text[match.start() : match.start() + 1] in ("v", "V")
        full = match.group(1).count(".") >= 2
        if _FIX_BEFORE_RE.search(before) or match.group(1) == fixed:
            continue
        if explicit_v or full or _VERSION_CONTEXT_RE.search(before):
            found.append(match.group(1))
    if any(v.count(".") >= 2 for v in found):
        found = [v for v in found if v.count(".") >= 2]
    return _unique(found)


def fixed_version(ticket: Ticket) -> str | None:
    """The version that fixes the problem (`Fixed in:` field or "fixed in 5.3.0")."""
    field = ticket.fields.get("fixed", "")
    match = VERSION_RE.search(field)
    if match:
        return match.group(1)
    text = "\n".join(ticket.sections.values())
    match = re.search(
        r"\b(?:fixed in|fix (?:is )?(?:planned |coming |scheduled )?(?:for|in)|will be fixed in|"
        r"resolved in|patched in)(?: the| version| release| sourcegraph)* v?(\d+\.\d+(?:\.\d+)?)",
        text,
        re.I,
    )
    return match.group(1) if match else None


def deployments(ticket: Ticket) -> list[str]:
    """Deployment kinds named in the `Deployment` field, else anywhere in the text."""
    text = ticket.fields.get("deployment", "") or ticket.all_text()
    return [name for name, pattern in DEPLOYMENT_KEYWORDS if pattern.search(text)]


def services(ticket: Ticket, extra: Sequence[str] = ()) -> list[str]:
    """Services named in the text (`gitserver`, `sourcegraph-frontend` pods, ...).

    A labelled field ("Services involved: worker, frontend") says it all: only its names.
    """
    labelled = ticket.fields.get("services", "")
    if labelled.strip():
        named: list[str] = []
        for part in re.split(r"[,;/]|\band\b|\s+&\s+", extract_plain(labelled)):
            name = re.sub(r"^sourcegraph-", "", part.strip().strip("`*_ .").lower())
            name = re.sub(r"\s+(?:service|pods?|containers?|deployment)$", "", name)
            name = re.sub(r"\s+", "-", name)
            if re.fullmatch(r"[a-z0-9][a-z0-9-]{1,40}", name) and name not in named:
                named.append(name)
        if named:
            return named
    text = ticket.all_text() + "\n" + ticket.fields.get("services", "")
    found: list[str] = []
    for name in (*KNOWN_SERVICES, *extra):
        escaped = re.escape(name)
        if name in _AMBIGUOUS_SERVICES:
            # A common word names the service when it is used as one: "the frontend pods",
            # "on frontend", "the worker", "executors", a compose log prefix "frontend |".
            pattern = (
                rf"(?:sourcegraph-{escaped}\b|`{escaped}`|\b{escaped}(?=[- ](?:service|pods?|"
                rf"containers?|logs?|deployment|statefulset|replicas?|image|env|memory|"
                rf"cpu)\b)|\b{escaped}-[a-z0-9]+-[a-z0-9]{{5}}\b|"
                rf"\b(?:the|on|for|and|restart|scale|of|to) {escaped}s?\b(?![-/.]\w)|"
                rf"(?m:^{escaped}(?:[_-]\d+)?\s+\|)|\b{escaped}s\b(?![-/])|"
                rf"\b{escaped},? (?:and|or) [a-z-]+(?: and [a-z-]+)?(?= (?:containers?|pods?|"
                rf"services?|deployments?)\b))"
            )
        else:
            pattern = rf"(?<![\w-]){escaped}(?![\w])"
        if re.search(pattern, text, re.IGNORECASE) or re.search(
            rf"(?<![\w-]){escaped}(?![\w])", ticket.fields.get("services", ""), re.IGNORECASE
        ):
            found.append(name)
    return found


def extract_plain(text: str) -> str:
    """Inline code and emphasis markers removed (a labelled value such as `**gitserver**`)."""
    return re.sub(r"[`*_]", "", text)


def product_area(
    ticket: Ticket, areas: Sequence[str], keywords: Mapping[str, Sequence[str]] | None = None
) -> str | None:
    """The configured product area whose keywords score highest (title counts most)."""
    field = ticket.fields.get("product_area", "").strip().lower()
    candidates = list(areas) or list(PRODUCT_AREA_KEYWORDS)
    if field:
        for area in candidates:
            if field in (area.lower(), area.lower().replace("-", " ")):
                return area
    weighted = (
        (ticket.title, 3),
        (ticket.section("Problem") + "\n" + ticket.section("Question"), 2),
        ("\n".join([*ticket.sections.values(), *ticket.error_lines]), 1),
        # The error says what broke: its words count again ("x509: certificate ...").
        ("\n".join(ticket.error_lines), 1),
        # So does the cause.
        (ticket.section("Cause"), 1),
    )
    scores: dict[str, int] = {}
    for area in candidates:
        words = {area.lower(), area.lower().replace("-", " ")}
        words.update(w.lower() for w in PRODUCT_AREA_KEYWORDS.get(area, ()))
        if keywords:
            words.update(w.lower() for w in keywords.get(area, ()))
        score = 0
        for text, weight in weighted:
            lowered = text.lower()
            for word in words:
                if re.search(rf"(?<![\w-]){re.escape(word)}\w{{0,3}}(?![\w-])", lowered):
                    score += weight
        if score:
            scores[area] = score
    if not scores:
        return None
    return max(candidates, key=lambda a: (scores.get(a, 0), -candidates.index(a)))


def tags(ticket: Ticket, blocked: Iterable[str]) -> list[str]:
    """Tags from the source, without workflow tags or anything naming the customer."""
    blocked_words = {w.lower() for b in blocked for w in re.split(r"[\s._@-]+", b) if len(w) >= 3}
    result: list[str] = []
    for tag in ticket.tags:
        clean = re.sub(r"[^a-z0-9-]+", "-", tag.lower().replace("_", "-")).strip("-")
        if not clean or clean.isdigit() or _INTERNAL_TAG_RE.match(clean):
            continue
        if any(part in blocked_words for part in clean.split("-")):
            continue
        if clean not in result:
            result.append(clean)
    return result


def title(ticket: Ticket, deployment: Sequence[str], names: Sequence[str] = ()) -> str:
    """The symptom in the customer's words plus the main environment, at most 90 characters."""
    question = ticket.section("Question") or ticket.section("Goal")
    if not ticket.title and question and ticket.type_hint in ("how-to", "faq"):
        raw = first_sentence(question)
    else:
        raw = ticket.title or symptom_sentence(ticket.section("Problem") or question)
    text = without_names(plain_text(raw), names)
    text = re.sub(
        r"^(?:(?:re|fwd?|aw|sv)\s*:\s*|\[[^\]]{0,40}\]\s*|(?:urgent|p[0-4]|sev\s?\d|"
        r"ticket\s*#?\s*\d+|#\d+)\s*[:\-–]?\s*)+",
        "",
        text,
        flags=re.IGNORECASE,
    )
    # Parentheticals carry customer names and ticket ids, not the symptom.
    text = re.sub(r"\s*\([^)]{0,60}\)", "", text)
    text = re.sub(
        r"^(?:the )?(?:customer|user|client)s?(?: (?:reports?|reported|says|said|noticed))?"
        r"(?: that)?\s+",
        "",
        text,
        flags=re.IGNORECASE,
    )
    text = re.sub(r"^(?:hi|hello|hey)\b[^,]{0,30},\s*", "", text, flags=re.IGNORECASE)
    if deployment:
        # "... on our docker-compose instance": the environment suffix below says it better.
        text = re.sub(
            r"\s+(?:on|in|for|with) (?:our|the|their|a|an|its)\b[^,.;]{0,40}?"
            r"\b(?:instance|cluster|deployment|environment|setup|server|install|installation)\b",
            "",
            text,
            flags=re.IGNORECASE,
        )
    text = text.strip(" .:-–")
    text = text[:1].upper() + text[1:]
    if not text:
        return ""
    if not deployment:
        return _fit(text, TITLE_MAX)
    main = deployment[0]
    suffix = f" on {DEPLOYMENT_LABELS.get(main, main)}"
    named = _ENVIRONMENT_NAMES.get(main)

    def mentions(candidate: str) -> bool:
        if named:
            return bool(named.search(candidate))
        return any(p.search(candidate) for n, p in DEPLOYMENT_KEYWORDS if n == main)

    if len(text) <= TITLE_MAX and mentions(text):
        return text
    if len(text) + len(suffix) <= TITLE_MAX:
        return text + suffix
    text = _symptom_clause_first(text)
    if len(text) + len(suffix) <= TITLE_MAX:
        return text + suffix
    head = _clause(text, TITLE_MAX - len(suffix))
    if head is None:
        return _fit(text, TITLE_MAX)
    return head if mentions(head) else head + suffix


def fallback_title(ticket: Ticket) -> str:
    """Some title when no symptom sentence exists: any section's first sentence, an error line."""
    for text in ticket.sections.values():
        sentence = first_sentence(text)
        if sentence.strip():
            return _fit(sentence.strip(), TITLE_MAX)
    for line in ticket.error_lines:
        if line.strip():
            return _fit(mask(line).replace("<", "").replace(">", ""), TITLE_MAX)
    return "Untitled write-up"


def _symptom_clause_first(text: str) -> str:
    """A long title whose opening clause states no symptom starts at the one that does.

    "They upgraded to 5.2.3 on tuesday, since then the frontend pods get OOMKilled" ->
    "The frontend pods get OOMKilled".
    """
    clauses = text.split(", ")
    if len(clauses) < 2 or SYMPTOM_RE.search(clauses[0]):
        return text
    for index, clause in enumerate(clauses[1:], start=1):
        if SYMPTOM_RE.search(clause):
            rest = ", ".join(clauses[index:])
            previous = None
            while previous != rest:
                previous = rest
                rest = _LEADING_LINK_RE.sub("", rest)
            return rest[:1].upper() + rest[1:]
    return text


_CLAUSE_END_RE = re.compile(r"[,;] | [-–] | (?:and|but|which|so|while) ")
_CLAUSE_MIN = 30


def _clause(text: str, limit: int) -> str | None:
    """The longest run of whole clauses that fits `limit` ("X fails, we run Y" -> "X fails")."""
    ends = [
        m.start()
        for m in _CLAUSE_END_RE.finditer(text)
        if _CLAUSE_MIN <= m.start() <= limit and text.count('"', 0, m.start()) % 2 == 0
    ]
    return text[: ends[-1]].rstrip(" ,;-–") if ends else None


def _fit(text: str, limit: int) -> str:
    """At most `limit` characters: whole clauses when they say enough, else whole words."""
    if len(text) <= limit:
        return text
    return _clause(text, limit) or shorten(text, limit)


def without_names(text: str, names: Sequence[str]) -> str:
    """Customer and people names removed from a title ("for Jane's team", "Acme:")."""
    for name in sorted((n for n in names if len(n) >= 3), key=len, reverse=True):
        parts = [re.escape(name), *(re.escape(p) for p in name.split() if len(p) >= 3)]
        alternatives = "|".join(parts)
        text = re.sub(
            rf"(?:\s+(?:for|by|from|at|of|with|in))?\s*\b(?:{alternatives})\b(?:'s)?"
            rf"(?:\s+(?:team|company|org|organization|users|instance))?\s*:?",
            " ",
            text,
            flags=re.IGNORECASE,
        )
    return " ".join(text.split())


SYMPTOM_RE = re.compile(
    r"\b(?:errors?|erroring|fail\w*|cannot|can't|can ?not|could ?n[o']t|unable|"
    r"(?:does|do|did|is|are|was|were|has|have)(?:n't| not)\b|won't|not (?:work\w*|load\w*|"
    r"show\w*|start\w*|sync\w*|found|updat\w*|respond\w*)|time[sd]? ?out|timing out|"
    r"timeouts?|crash\w*|broken|break[s]?|hang(?:s|ing)?|stuck|slow\w*|missing|no (?:data|"
    r"results?|longer)|empty|stopped|denied|refused|oom\w*|exceed\w*|disappear\w*|wrong|"
    r"incorrect|unavailable|down|[45]\d\d|loops?|spinn\w*|rejected|invalid|expired|"
    r"logged out|log(?:s|ged)? (?:\w+ )?out|kicked out|never \w+|queued|gone|garbage|"
    r"off by|\w+ off for|disappear\w*|lost|no longer|sits? there|idle)\b",
    re.IGNORECASE,
)
"""Words that state a symptom: the sentence a title should come from."""

PLEASANTRY_RE = re.compile(
    r"^(?:(?:hi|hello|hey|greetings|dear|good (?:morning|afternoon|evening|day)|morning|"
    r"afternoon|evening|happy \w+day|(?:i |we )?hope\b|quick (?:one|question)|"
    r"sorry (?:to|for)\b|thanks?\b|thank you|many thanks|how are (?:you|things)|"
    r"(?:i )?trust (?:you|all)|welcome back|long time|(?:is )?any ?(?:one|body) "
    r"(?:around|there|available|online|here)|are you (?:there|around))\b)",
    re.IGNORECASE,
)
"""Sentences that open a message without saying anything about the problem."""

_LEADING_LINK_RE = re.compile(
    r"^(?:since (?:then|yesterday|today|this morning|last night|last week|the weekend|"
    r"\d{1,2}[:.]\d{2}(?: ?[ap]m)?(?: utc)?|(?:this|last) (?:morning|night|week|weekend)|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)|"
    r"after that|ever since|now|but|and|so|also|suddenly|today|anyway|then|plus|btw|"
    r"as (?:i|we) (?:said|mentioned)|like i said|again|still|"
    r"however|basically|unfortunately|currently|apparently|right now|at the moment)\b,?\s+",
    re.IGNORECASE,
)


def sentences(text: str) -> list[str]:
    """The sentences of some prose, paragraph by paragraph (code blocks and markup removed).

    Inline code keeps its text: "search fails for `repo:` queries" needs it.
    """
    result: list[str] = []
    for paragraph in _FENCED_RE.sub("", text).split("\n\n"):
        prose = plain_text(paragraph)
        result.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", prose) if s.strip())
    return result


def symptom_sentence(text: str) -> str:
    """The first sentence that states a symptom ("searches time out"), greetings skipped.

    A chat thread opens with "Morning!", "hope you had a good weekend", "quick one.": none
    of that is a title. Falls back to the first sentence that is not a pleasantry, then to
    the first sentence.
    """
    found = sentences(text)
    # A sentence that names someone (an address, a handle, a phone) is no title.
    content = [
        s for s in found if not _is_pleasantry(s) and not re.search(r"@|\+?\d[\d ()-]{8,}\d", s)
    ]
    chosen = next((s for s in content if SYMPTOM_RE.search(s)), content[0] if content else "")
    if not chosen:
        return first_sentence(text)
    following = content[content.index(chosen) + 1 :] if chosen in content else []
    more = next((s for s in following if SYMPTOM_RE.search(s)), "")
    if len(chosen) < 40 and more and len(chosen) + len(more) < 85:
        # "The executors just sit there." says little alone; the next symptom completes it.
        chosen = chosen.rstrip(".!") + "; " + more[:1].lower() + more[1:]
    if PLEASANTRY_RE.match(chosen):
        chosen = _after_opening_clause(chosen)
    previous = None
    while previous != chosen:
        previous = chosen
        chosen = _LEADING_LINK_RE.sub("", chosen)
    chosen = chosen.rstrip(".")
    return chosen[:1].upper() + chosen[1:]


def _is_pleasantry(sentence: str) -> bool:
    if not PLEASANTRY_RE.match(sentence):
        return False
    # "Hi, search fails since the upgrade" opens with a greeting but states the symptom.
    rest = _after_opening_clause(sentence)
    return rest == sentence or not SYMPTOM_RE.search(rest)


def _after_opening_clause(sentence: str) -> str:
    """The rest after an opening clause: "Thanks for that, X fails" -> "X fails"."""
    return re.sub(r"^[^,:;–]{0,60}[,:;–]\s*", "", sentence, count=1)


def first_sentence(text: str) -> str:
    """The first sentence of some prose (code blocks and list markers skipped)."""
    paragraph = _without_code(text).strip().split("\n\n", 1)[0]
    prose = plain_text(paragraph)
    match = re.match(r"(.+?[.!?])(?:\s|$)", prose)
    return (match.group(1) if match else prose).rstrip(".")


def summary(ticket: Ticket, limit: int = 200, names: Sequence[str] = ()) -> str:
    """One or two sentences for search results, from the problem (or question/goal)."""
    source = ticket.section("Problem") or ticket.section("Question") or ticket.section("Goal")
    paragraphs = [plain_text(p) for p in _without_code(source).split("\n\n") if p.strip()]
    prose = " ".join(p if p[-1:] in ".!?:" else p + "." for p in paragraphs if p)
    # "(Initech, ticket 51230)" says who, not what.
    prose = re.sub(r"\s*\([^)]*(?:ticket|case|#|\d{3,})[^)]*\)", "", prose, flags=re.I)
    for name in names:
        prose = re.sub(rf"\s*\(\s*{re.escape(name)}\s*\)", "", prose, flags=re.I)
    prose = prose[:1].upper() + prose[1:]
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", prose) if s]
    result = ""
    for sentence in sentences:
        candidate = (result + " " + sentence.strip()).strip()
        if len(candidate) > limit and result:
            break
        result = candidate
    return shorten(result, limit) if result else ""


def plain_text(text: str) -> str:
    """Markdown and HTML markup removed, whitespace collapsed."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"</?[A-Za-z][^>]*>", "", text)
    text = re.sub(r"(?m)^\s*(?:[-*+]|\d+[.)]|#{1,6}|>)\s+", "", text)
    # Emphasis markers only at word edges: `ghp_x1`, `DB_PASSWORD` and `proxy_body_size` keep
    # their underscores, so identifiers stay exact and secrets keep the shape detectors need.
    text = re.sub(r"~~[^~\n]+~~", "", text)  # struck-through words were taken back
    text = re.sub("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]", "", text)
    text = re.sub(r"(?<!\w)[*_~]+|[*_~]+(?!\w)", "", text)
    text = text.replace("`", "")
    return " ".join(text.split())


def shorten(text: str, limit: int) -> str:
    """Cut on a word boundary so the result is at most `limit` characters."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] or text[:limit]
    for quote in ('"', "'", "`"):
        # Never leave half a quotation: "shows "No" reads as a typo.
        if quote != "'" and cut.count(quote) % 2:
            cut = cut[: cut.rfind(quote)]
    return cut.rstrip(" ,;:-–(")


_FENCED_RE = re.compile(r"(?ms)^\s*(```|~~~).*?^\s*\1\s*$")


def _without_code(text: str) -> str:
    text = _FENCED_RE.sub("", text)
    return re.sub(r"`[^`\n]*`", "", text)


def _unique(values: Iterable[str]) -> list[str]:
    result: list[str] = []
    for value in values:
        if value not in result:
            result.append(value)
    return result
