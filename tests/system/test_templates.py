"""Template hygiene that Django does not check: a ``{# … #}`` comment must fit on one line,
otherwise Django prints it as text on the page (the assembly page once showed one)."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = sorted(
    path
    for folder in settings.TEMPLATES[0]["DIRS"]
    for path in Path(folder).rglob("*")
    if path.suffix in {".html", ".txt", ".xml"}
)
_OPEN = re.compile(r"\{#(?![^\n]*#\})")
NEWLINE = "\n"


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 50


def test_no_template_comment_spans_lines():
    broken = [
        f"{path.relative_to(settings.BASE_DIR)}:{text.count(NEWLINE, 0, m.start()) + 1}"
        for path in TEMPLATES
        for text in [path.read_text(encoding="utf-8")]
        for m in _OPEN.finditer(text)
    ]
    assert not broken, "multi-line {# #} (use {% comment %}): " + ", ".join(broken)
