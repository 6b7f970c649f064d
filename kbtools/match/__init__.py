"""The one matching model: masking, error-line signatures, rare-term weights, a section index.

`words` turns text and error lines into comparable words (rules from `rules.json`, the file a
port in another language loads too); `weights` learns how rare each word is; `sections`
splits pages into the units a search returns; `index` and `cache` hold those units for a
site; `rank` scores them for a query. `article/dedupe.py` (kb new) and `triage/` (kb triage)
both use it.
"""
