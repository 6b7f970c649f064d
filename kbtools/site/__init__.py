"""The kb MkDocs plugin and site generation."""
