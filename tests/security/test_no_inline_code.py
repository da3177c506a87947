"""The templates served to browsers hold no inline script, style or event handler: the
Content-Security-Policy would block them (static/… files and classes instead). The print
templates (read by WeasyPrint, never by a browser) and the e-mails are not pages."""

import re
from pathlib import Path

from django.conf import settings

NOT_PAGES = ("bulletins/print/", "emails/", "email/")
INLINE = {
    "style attribute": re.compile(r"\sstyle\s*="),
    "<style> element": re.compile(r"<style[\s>]"),
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>"),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']"),
    "hx-on attribute": re.compile(r"\shx-on"),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def test_no_template_served_to_a_browser_has_inline_code():
    root = Path(settings.BASE_DIR) / "templates"
    found = []
    for path in sorted(root.rglob("*.html")):
        name = path.relative_to(root).as_posix()
        if any(part in name for part in NOT_PAGES):
            continue
        text = path.read_text()
        found += [f"{name}: {what}" for what, pattern in INLINE.items() if pattern.search(text)]
    assert not found, "\n".join(found)
