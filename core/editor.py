"""The rich-text editor (django-prose-editor): what each form of it can produce.

``core.sanitise`` allows all of it and a little more; the editor only decides what the
toolbar offers, never what is stored (the services sanitise).
"""

from django_prose_editor.fields import ProseEditorFormField

# The secretariats' editor (a submission's body).
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [4]},
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
}

# The editors' editor (an issue's items and free blocks): the same, plus what the
# allow-list also lets a bulletin hold (h3/h5, strike-through) and a source view for the
# rare case the toolbar cannot express.
FULL_EDITOR_EXTENSIONS = {
    **EDITOR_EXTENSIONS,
    "Heading": {"levels": [3, 4, 5]},
    "Strike": True,
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


def body_field(*, label="正文", required=False, extensions=EDITOR_EXTENSIONS, **kwargs):
    """The rich-text editor, at most ``MAX_BODY_CHARS``. Its HTML is sanitised by the
    service that stores it (a form that wants to tell the user it removed something
    compares before and after)."""
    return ProseEditorFormField(
        label=label,
        required=required,
        config={"extensions": extensions},
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
