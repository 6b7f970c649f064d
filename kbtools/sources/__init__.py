"""Input formats of kb new: one module each with accepts() and parse()."""
