"""Text and error lines turned into comparable words (the rules live in `rules.json`).

- `tokens`: prose words, lower case, stop words and variable values (anything holding a
  digit, except names such as x509) dropped, shorthand expanded, lightly stemmed (the
  duplicate check);
- `text_words`: the words of the ranking's text score, nothing masked;
- `error_words`: the words of one error line with its variable parts masked (timestamps,
  ids, IPs, numbers, URLs, paths, placeholders, log levels, `key=value` context), so two
  reports of one error, from two customers, keep the same words.
"""

from __future__ import annotations

import functools
import json
import re

from kbtools.match import rules as rules_module

_RULES = rules_module.load()
STOPWORDS = _RULES.stopwords
SHORT_FORMS = _RULES.short_forms
LEVEL_WORDS = _RULES.level_words
MESSAGE_KEYS = _RULES.message_keys
WORD_RE = _RULES.word
_DIGIT_RE = _RULES.digit
_NAME_WITH_DIGITS_RE = _RULES.name_with_digits
"""Words such as x509, oauth2, s3, sha256: names, not variable values, so they are kept."""
_KV_RE = _RULES.key_value
_JSON_KV_RE = _RULES.json_key_value
_VARIABLE_RE = _RULES.variable
_NAME_RE = _RULES.pattern("name")
_TEXT_WORD_RE = _RULES.pattern("text_word")


def tokens(text: str) -> list[str]:
    """Lower-case words without stop words; words holding digits (ids, times, IPs) are masked.

    Dropping digit-bearing words is the cheap equivalent of `extract.mask` for prose, and
    keeps scoring 2,000 articles well under a second.
    """
    return [t for t in map(token, WORD_RE.findall(text.lower())) if t]


def text_words(text: str) -> list[str]:
    """The words the text score compares: runs of letters and digits, stop words out, stemmed.

    Nothing is masked, unlike `tokens` (the duplicate check's prose words) and the error
    lines: a pasted `argocd-repo-server-7d9f`, `HTTP 413` or `kustomization.yaml` keeps the
    words a page names them by, and a customer's own host or id is a word no page holds,
    which BM25 ignores.
    """
    return [stem(w) for w in _TEXT_WORD_RE.findall(text.lower()) if w not in STOPWORDS]


@functools.lru_cache(maxsize=65536)
def token(word: str) -> str:
    """The compared form of one word, or "" for a stop word or a variable value (cached)."""
    word = SHORT_FORMS.get(word, word)
    if word in STOPWORDS:
        return ""
    if _DIGIT_RE.search(word) and not _NAME_WITH_DIGITS_RE.fullmatch(word):
        return ""
    return stem(word)


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix strip so "searches", "searching" and "search" compare equal.

    A final "e" goes too, so "upgrade", "upgraded" and "upgrading" all become "upgrad".
    Short forms are expanded first ("repos" -> "repository").
    """
    word = SHORT_FORMS.get(word, word)
    for rule in _RULES.stem_rules:
        if (
            len(word) > rule.longer_than
            and word.endswith(rule.suffixes)
            and not (rule.unless and word.endswith(rule.unless))
        ):
            word = word[: -rule.cut] + rule.add
            if rule.final:
                return word
            break
    if (
        len(word) > _RULES.final_e_longer_than
        and word.endswith("e")
        and not word.endswith(_RULES.final_e_unless)
    ):
        word = word[:-1]
    return word


def _mask_variable(match: re.Match[str]) -> str:
    word = match.group(0).strip(".:/@-")
    return f" {word} " if _NAME_WITH_DIGITS_RE.fullmatch(word) else " "


def _keep_message(match: re.Match[str]) -> str:
    key = match.group(1).lower()
    return f" {match.group(2)} " if key in MESSAGE_KEYS else " "


def _keep_message_unquoted(match: re.Match[str]) -> str:
    # A message value is the error itself, never a name: `"reason":"OOMKilled"` stays.
    key = match.group(1).lower()
    return f" {_unquote(match.group(2))} " if key in MESSAGE_KEYS else " "


def masked(line: str, *, names: bool = False) -> str:
    """An error line in lower case with its variable parts and log context masked.

    `names` also masks quoted single words and placeholders (`'acme-payments'`, `xxxx`):
    a customer's names in a pasted log, a writer's placeholders in the docs.
    """
    keep = _keep_message_unquoted if names else _keep_message
    text = _JSON_KV_RE.sub(keep, line) if line.lstrip().startswith("{") else line
    text = _KV_RE.sub(keep, text)
    if names:
        text = _NAME_RE.sub(" ", text)
    return _VARIABLE_RE.sub(_mask_variable, text.lower())


def error_words(line: str, *, names: bool = False) -> frozenset[str]:
    """The words of an error message with its variable parts masked.

    Timestamps, ids, IPs, numbers, URLs, paths and redaction placeholders go; so do log
    levels and `key=value` context (`repo=`, `shard=`) while message values (`msg=`, `err=`,
    JSON `"Body"`) stay. Two reports of one error, from two customers, keep the same words.
    """
    return frozenset(error_sequence(line, names=names))


def error_sequence(line: str, *, names: bool = False) -> tuple[str, ...]:
    """The words of `error_words` in the order of the line, each once (for word order)."""
    return tuple(
        dict.fromkeys(
            stem(w)
            for w in WORD_RE.findall(masked(line, names=names))
            if w not in STOPWORDS and w not in LEVEL_WORDS and len(w) > 1
        )
    )


def message(line: str) -> str:
    """The message of a structured log line (its JSON or logfmt message values), else the line.

    `{"level":"error","msg":"sync failed","error":"x509: ..."}` -> `sync failed: x509: ...`.
    """
    pattern = _JSON_KV_RE if line.lstrip().startswith("{") else _KV_RE
    values = [
        _unquote(match.group(2))
        for match in pattern.finditer(line)
        if match.group(1).lower() in MESSAGE_KEYS
    ]
    values = [v for v in values if v.strip()]
    return ": ".join(values) if values else line


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            loaded = json.loads(value)
        except ValueError:
            return value[1:-1]
        return loaded if isinstance(loaded, str) else value[1:-1]
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1]
    return value
