"""Search backends of the built site: the theme's own search, or Pagefind.

`backend.choose()` decides which one a build uses (`site.search`); `pagefind_index.index_site()`
is the step after the engine that marks up, indexes and wires a built site for Pagefind.
Both backends answer through Material's search box and result list (see
`assets/kb-pagefind.js`), so whatever renders results reads the same data either way.
"""
