"""kbtools: knowledge-base tooling for support teams running their docs as an MkDocs site."""

__version__ = "0.1.0"
