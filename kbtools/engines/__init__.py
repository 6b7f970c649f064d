"""Thin adapters around real tools (Vale, LinkChecker)."""
