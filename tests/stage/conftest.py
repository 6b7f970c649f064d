"""Staging tests share the site fixture KB."""

from tests.site.conftest import kb_project

__all__ = ["kb_project"]
