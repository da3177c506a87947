"""Importer of old issues (Markdown, plain text, text extracted from a PDF).

``parse_bulletin`` turns the text into an ``IssueDocument`` and lists what it could not
understand; ``resolve_attributions`` matches the attribution lines to the alliance registry.
"""

from .parse import BulletinParseError, ParseResult, SourceSpan, decode_bulletin, parse_bulletin
from .resolve import AttributionMatch, resolve_attributions

__all__ = [
    "AttributionMatch",
    "BulletinParseError",
    "ParseResult",
    "SourceSpan",
    "decode_bulletin",
    "parse_bulletin",
    "resolve_attributions",
]
