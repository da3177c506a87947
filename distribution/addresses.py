"""E-mail addresses and name cells: normalising what comes in (cells going out are escaped
by ``core.sheets.escape_cell``).

Django's ``validate_email`` accepts ``=1+1@example.com`` and addresses with invisible
characters: those are refused here before it is asked.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from core.sheets import FORMULA_PREFIXES

# Unicode categories that are invisible or control characters: Cc control, Cf format
# (zero-width space, bidi marks), Co private use, Cn unassigned, Zl/Zp separators.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cn", "Zl", "Zp"}


class AddressRejected(ValueError):
    """The reason (in Chinese) why an address cannot be used."""


def _invisible(text: str) -> list[str]:
    """The invisible, control and space characters in ``text``, as U+XXXX."""
    found = [ch for ch in text if unicodedata.category(ch) in _INVISIBLE_CATEGORIES or ch.isspace()]
    return [f"U+{ord(ch):04X}" for ch in dict.fromkeys(found)]


def normalise_email(raw) -> str:
    """The address in the form we store and compare: NFKC (full-width ＠ becomes @), without
    surrounding space, with a lower-case domain. Raises ``AddressRejected``."""
    if raw is None:
        raise AddressRejected("电子邮箱为空")
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if not text:
        raise AddressRejected("电子邮箱为空")
    if text.startswith(FORMULA_PREFIXES):
        raise AddressRejected("电子邮箱不能以 = + - @ 开头（可能是电子表格公式）")
    if hidden := _invisible(text):
        # Name them: the user cannot see them in the address.
        raise AddressRejected(f"电子邮箱中含有空白、不可见或控制字符（{'、'.join(hidden)}）")
    local, sep, domain = text.rpartition("@")
    if not sep or not local or not domain:
        raise AddressRejected("电子邮箱格式不正确（缺少 @ 或 @ 前后为空）")
    domain = domain.lower()
    if "." not in domain.strip("."):
        raise AddressRejected("电子邮箱格式不正确（域名不完整，如缺少 .cn、.com）")
    address = f"{local}@{domain}"
    try:
        validate_email(address)
    except ValidationError:
        raise AddressRejected("电子邮箱格式不正确") from None
    return address


def clean_text_cell(raw, *, label: str, max_length: int) -> str:
    """A name or organisation cell: trimmed, no control characters. Raises
    ``AddressRejected`` (its message names the column). NFC only: NFKC would turn the
    printed full-width 「（局）」 into ASCII parentheses."""
    text = unicodedata.normalize("NFC", "" if raw is None else str(raw)).strip()
    if not text:
        raise AddressRejected(f"{label}为空")
    if text.startswith("="):
        raise AddressRejected(f"{label}不能以 = 开头（可能是电子表格公式）")
    if any(unicodedata.category(ch) in _INVISIBLE_CATEGORIES for ch in text):
        raise AddressRejected(f"{label}中含有不可见或控制字符")
    if len(text) > max_length:
        raise AddressRejected(f"{label}超过 {max_length} 个字符")
    return text
