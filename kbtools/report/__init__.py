"""`kb report`: recurring problems, stale articles, quality and coverage of a KB.

Data flow: git history of the articles folder (`history.py`) and the articles as they are
now (`inventory.py`, front matter plus the lint runner's findings) go into `build.py`,
which computes each section once (`recurring.py`, `stale.py`, `quality.py`,
`coverage.py`) into a `Report` (`model.py`). Renderers turn a Report into text, JSON or a
self-contained HTML page (`render_text.py`, `render_json.py`, `render_html.py`, charts by
`svg.py`); `page.py` gives the internal site its "KB health" page.
"""
