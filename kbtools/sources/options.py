"""What the project tells the input formats: who the agents are, what Zendesk fields mean."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceOptions:
    """`kb.new.agents` and `kb.new.zendesk_fields`, as the parsers need them."""

    agents: tuple[str, ...] = ()
    """Names, chat handles, email addresses, or `@domain`: the people who speak for support."""
    zendesk_fields: Mapping[str, str] = field(default_factory=dict)
    """Zendesk custom field id -> ticket field (`version`, `deployment`, ...)."""

    def is_agent(self, *identities: str) -> bool:
        """True when a speaker's name, handle or email is one of the configured agents."""
        wanted = [a.strip().lower() for a in self.agents if a.strip()]
        for identity in identities:
            value = " ".join(identity.strip().lower().split())
            if not value:
                continue
            for agent in wanted:
                if agent.startswith("@") and value.endswith(agent):
                    return True
                if value == agent or _handle(value) == _handle(agent):
                    return True
        return False


def _handle(value: str) -> str:
    """`Dev Patel`, `dev.patel` and `dev_patel` compare equal."""
    return "".join(ch for ch in value.split("@", 1)[0] if ch.isalnum())
