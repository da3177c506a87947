"""The rich-text editor (django-prose-editor): one configuration for every editor of a
body — a submission's (the secretariat's form, the editors' 编辑加工), an item's and a free
block's.

The toolbar must be able to hold every element ``core.sanitise`` allows: an editor drops
what its schema does not know the moment it loads a body, so a narrower configuration
silently turned every ``<h3>`` of a body into ``<p>`` on the next save. What the editor
re-spells (``<thead>``, ``<b>``, a cell's ``<p>``) is spelt back by ``core.canonical``, so
a body saved unchanged is stored unchanged (tests/security/test_editor_round_trip.py). The
editor only decides what the toolbar offers, never what is stored (the services sanitise).
"""

from django_prose_editor.fields import ProseEditorFormField

# Every element of core.sanitise.ALLOWED_TAGS, by the extension that holds it:
# p/br (core, HardBreak), strong/b, em/i, u, s, sub, sup, h3–h5, ul/ol/li, blockquote,
# table/thead/tbody/tr/th/td, img, a; and a source view for what the toolbar cannot express.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [3, 4, 5]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Image": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "History": True,
    "HTML": True,
}


def body_field(*, label="正文", required=False, **kwargs):
    """The rich-text editor of a body. Its HTML is sanitised by the service that stores it
    (a form that wants to tell the user it removed something compares before and after)."""
    return ProseEditorFormField(
        label=label,
        required=required,
        config={"extensions": EDITOR_EXTENSIONS},
        sanitize=lambda html: html,
        **kwargs,
    )
