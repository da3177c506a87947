"""The project's own translations (``locale/``): the compiled .mo files are committed, so a
fresh checkout runs ``make run`` and ``make test`` without gettext's msgfmt; this keeps each
.mo in step with its .po (recompile with ``manage.py compilemessages -l zh_Hans``)."""

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUES = sorted((Path(settings.BASE_DIR) / "locale").glob("*/LC_MESSAGES/*.po"))


def po_entries(path: Path) -> list[dict]:
    """msgctxt / msgid / msgid_plural / msgstr / msgstr[0] of every entry (header left out)."""
    entries, entry, key = [], {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if line.startswith('"'):
            entry[key] += ast.literal_eval(line)
            continue
        if not line or line.startswith("#"):
            if entry.get("msgid"):
                entries.append(entry)
            entry = {} if not line or entry.get("msgid") else entry
            continue
        key, _, value = line.partition(" ")
        entry[key] = ast.literal_eval(value)
    return entries


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_each_compiled_catalogue_matches_its_source(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run manage.py compilemessages -l zh_Hans"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    entries = po_entries(po)
    assert entries
    for entry in entries:
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            got = (
                compiled.npgettext(context, entry["msgid"], entry["msgid_plural"], 1)
                if context
                else compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1)
            )
            expected = entry["msgstr[0]"]
        else:
            got = (
                compiled.pgettext(context, entry["msgid"])
                if context
                else compiled.gettext(entry["msgid"])
            )
            expected = entry["msgstr"]
        assert got == expected, f"{po.name}: {entry['msgid']!r} is stale in {mo.name}"


def test_both_catalogues_exist():
    assert {p.name for p in CATALOGUES} == {"django.po", "djangojs.po"}
