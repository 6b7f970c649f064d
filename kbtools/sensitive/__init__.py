"""Secret and personal-data detectors as data, shared by kb new and the secrets check.

`find(text, context)` lists detections (kind, category, offsets, value: never print the
value); `Redactor(context).redact(text)` replaces them with typed placeholders;
`is_internal_link(url, context)` tells links to internal chat and ticket systems.
"""

from __future__ import annotations

from kbtools.sensitive.detect import find
from kbtools.sensitive.labels import context_from_text
from kbtools.sensitive.links import is_internal_link
from kbtools.sensitive.model import KINDS, PERSONAL, SECRET, Detection, KindInfo, RedactionContext
from kbtools.sensitive.redact import Redactor

__all__ = [
    "KINDS",
    "PERSONAL",
    "SECRET",
    "Detection",
    "KindInfo",
    "RedactionContext",
    "Redactor",
    "context_from_text",
    "find",
    "is_internal_link",
]
