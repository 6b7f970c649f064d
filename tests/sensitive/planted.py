"""Token-shaped test data, assembled at run time so no secret-shaped literal is committed.

Fixtures hold markers such as `{{GITHUB_TOKEN}}`; `fill()` replaces them. Prefixes are split
("gh" + "p_") so hosting-side secret scanners see nothing in the repository.
"""

from __future__ import annotations

import base64
import json
import random
import string

_RNG = random.Random(20240603)
_ALNUM = string.ascii_letters + string.digits
_B64 = _ALNUM + "+/"


def _pick(alphabet: str, n: int) -> str:
    return "".join(_RNG.choice(alphabet) for _ in range(n))


def _b64url(data: dict[str, object]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _private_key() -> str:
    body = "\n".join(_pick(_B64, 64) for _ in range(6))
    kind = "OPENSSH " + "PRIVATE" + " KEY"
    return f"-----BEGIN {kind}-----\n{body}\n{_pick(_B64, 24)}==\n-----END {kind}-----"


TOKENS: dict[str, str] = {
    "GITHUB_TOKEN": "gh" + "p_" + _pick(_ALNUM, 36),
    "GITHUB_TOKEN_2": "gh" + "s_" + _pick(_ALNUM, 36),
    "GITHUB_PAT": "github" + "_pat_" + _pick(_ALNUM, 22) + "_" + _pick(_ALNUM, 59),
    "GITLAB_TOKEN": "gl" + "pat-" + _pick(_ALNUM, 20),
    "SLACK_TOKEN": "xo"
    + "xb-"
    + _pick(string.digits, 11)
    + "-"
    + _pick(string.digits, 12)
    + "-"
    + _pick(_ALNUM, 24),
    "SLACK_WEBHOOK": "https://hooks.slack.com/"
    + "services/T"
    + _pick(string.ascii_uppercase, 8)
    + "/B"
    + _pick(string.ascii_uppercase, 10)
    + "/"
    + _pick(_ALNUM, 24),
    "STRIPE_KEY": "sk" + "_live_" + _pick(_ALNUM, 24),
    "STRIPE_WEBHOOK": "wh" + "sec_" + _pick(_ALNUM, 32),
    "GOOGLE_KEY": "AI" + "za" + _pick(_ALNUM + "_-", 35),
    "AWS_ACCESS_KEY": "AK" + "IA" + _pick(string.ascii_uppercase + string.digits, 16),
    "AWS_SECRET_KEY": _pick(_B64, 40),
    "SOURCEGRAPH_TOKEN": "sg"
    + "p_"
    + _pick("0123456789abcdef", 16)
    + "_"
    + _pick("0123456789abcdef", 40),
    "NPM_TOKEN": "np" + "m_" + _pick(_ALNUM, 36),
    "DOCKER_TOKEN": "dckr" + "_pat_" + _pick(_ALNUM, 27),
    "OPENAI_KEY": "sk" + "-proj-" + _pick(_ALNUM, 48),
    "BEARER": _pick(_ALNUM, 32),
    "HIGH_ENTROPY": _pick(_ALNUM, 44),
    "JWT": _b64url({"alg": "HS256", "typ": "JWT"})
    + "."
    + _b64url({"sub": "pgibbons", "org": "initech", "iat": 1717400000})
    + "."
    + _pick(_ALNUM + "_-", 43),
    "PRIVATE_KEY": _private_key(),
}


def fill(text: str, *, json_strings: bool = False) -> str:
    """`text` with every `{{MARKER}}` replaced (JSON-escaped inside a JSON document)."""
    for marker, value in TOKENS.items():
        replacement = json.dumps(value)[1:-1] if json_strings else value
        text = text.replace("{{" + marker + "}}", replacement)
    return text
