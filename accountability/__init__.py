"""Accountability figures beside the MKBA (SPEC.md section 4b).

For now only the pure calculations (``accountability.calculations``); the app (models, selectors,
commands, API, pages, report kinds) joins later.
"""
