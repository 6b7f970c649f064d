"""Stage, then build: write one audience's tree into a build folder, then run an engine on it.

What is not staged cannot be published, whatever the engine does with plugins it does not
know. `tree.py` writes the tree, `engine_config.py` the engine's mkdocs.yml, `engines.py`
runs MkDocs, ProperDocs or Zensical on it.
"""
