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


def body_field(*, label="正文", required=False, extensions=EDITOR_EXTENSIONS, **kwargs):
    """The rich-text editor. Its HTML is sanitised by the service that stores it (a form
    that wants to tell the user it removed something compares before and after)."""
    return ProseEditorFormField(
        label=label,
        required=required,
        config={"extensions": extensions},
        sanitize=lambda html: html,
        **kwargs,
    )
