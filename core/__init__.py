"""The floor below every app: helpers that know no app and no model.

HTML sanitising and text (``sanitise``, ``text``), the one owner of jieba's dictionary
(``segment``), upload checks (``uploads``), spreadsheet cells (``sheets``), the rich-text
editor's configuration (``editor``), the read-only admin (``admin``) and the registry of
demo loaders (``demo``). Nothing here imports an app of the project; every app may import
from here (the ``layers`` contract in ``pyproject.toml``). Not a Django app: no models,
templates or migrations.
"""
