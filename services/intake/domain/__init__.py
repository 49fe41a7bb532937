"""Intake's pure core: taxonomy, gazetteer, text classifier, priority rules, duplicates, phones.

Nothing here does I/O beyond reading the shipped data files; adapters call these functions.
"""
