"""KB articles: the schema (single source of truth), rendering, duplicates and storage."""
