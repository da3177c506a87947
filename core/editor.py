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


# The most HTML one body (a submission, an item, a free block) may hold. A whole printed
# issue is about 35,000 characters of text (the seed bulletins), so 200,000 characters of
# HTML is several issues' worth: no real item comes near it, while a pasted document of
# megabytes is refused here, by the field's length check, before anything sanitises,
# segments or fingerprints it (a 9.5 MB body cost 11 s of CPU) and well under the
# server's hard limit (DATA_UPLOAD_MAX_MEMORY_SIZE, 10 MB: 200,000 Chinese characters
# are at most 1.8 MB URL-encoded), so the form can answer with what was typed.
MAX_BODY_CHARS = 200_000


def body_field(*, label="正文", required=False, **kwargs):
    """The rich-text editor of a body, at most ``MAX_BODY_CHARS``. Its HTML is sanitised by the
    service that stores it (a form that wants to tell the user it removed something
    compares before and after)."""
    return ProseEditorFormField(
        label=label,
        required=required,
        config={"extensions": EDITOR_EXTENSIONS},
        sanitize=lambda html: html,
        max_length=MAX_BODY_CHARS,
        error_messages={
            "max_length": (
                f"{label}太长：超过 {MAX_BODY_CHARS:,} 个字符（含排版标记，现有 "
                "%(show_value)s 个）。一篇稿件不会这么长，请删减，或把其中的文件作为附件上传。"
            )
        },
        **kwargs,
    )
