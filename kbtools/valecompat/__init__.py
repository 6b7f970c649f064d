"""Built-in engine for Vale styles."""
