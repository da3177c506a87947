"""Form fields that know no app."""

from django import forms

from .text import visible_text


class VisibleCharField(forms.CharField):
    """A title, a name or a comment: invisible and direction-changing characters (NUL,
    zero-width, bidi overrides…) are dropped before the checks (``core.text.visible_text``),
    so a value of only such characters is empty and ``max_length`` counts what is seen.
    ``multiline`` keeps tabs and newlines (comments)."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        return visible_text(super().to_python(value), multiline=self.multiline)
