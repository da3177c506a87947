"""How alliance names are compared.

Real issues print the same name with and without spaces, with ASCII or full-width
parentheses, and with full-width letters. Two names are the same name when their
normalised forms are equal.
"""

import re
import unicodedata

FULL_SUFFIX = "产业技术创新战略联盟"
_SPACE = re.compile(r"\s+")


def normalise(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "")
    text = _SPACE.sub("", text)
    return text.replace("（", "(").replace("）", ")").casefold()
