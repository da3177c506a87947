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


# RFC 5321 §4.5.3.1: 64 characters before the @, 254 in all (a path of 256 with its
# angle brackets), 63 per label of the domain (RFC 1035).
MAX_LOCAL_PART = 64
MAX_ADDRESS = 254
MAX_DOMAIN_LABEL = 63


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
    _check_rfc_limits(text, local, domain)
    if "." not in domain.strip("."):
        raise AddressRejected("电子邮箱格式不正确（域名不完整，如缺少 .cn、.com）")
    address = f"{local}@{domain}"
    try:
        validate_email(address)
    except ValidationError:
        raise AddressRejected("电子邮箱格式不正确") from None
    return address


def _check_rfc_limits(text: str, local: str, domain: str) -> None:
    """The limits of RFC 5321 that Django's ``validate_email`` lets through, and the
    address literal (``user@[127.0.0.1]``), which names a machine rather than a mail
    domain: a bulletin goes to nobody there. Raises ``AddressRejected``."""
    if domain.startswith("[") or domain.endswith("]"):
        raise AddressRejected("电子邮箱不能以 IP 地址作域名（如 user@[127.0.0.1]），请填写邮件域名")
    if len(local) > MAX_LOCAL_PART:
        raise AddressRejected(f"电子邮箱 @ 前的部分超过 {MAX_LOCAL_PART} 个字符（{len(local)} 个）")
    if len(text) > MAX_ADDRESS:
        raise AddressRejected(f"电子邮箱超过 {MAX_ADDRESS} 个字符（{len(text)} 个）")
    if any(len(label) > MAX_DOMAIN_LABEL for label in domain.split(".")):
        raise AddressRejected(f"电子邮箱的域名中有一段超过 {MAX_DOMAIN_LABEL} 个字符")


def address_key(email: str) -> str:
    """The identity of a (normalised) address: one mailbox whatever the case of its
    letters. Mail servers treat local parts case-insensitively in practice, so
    ``Zhang.Wei@Example.org`` and ``zhang.wei@example.org`` are one recipient; the address
    is still stored and shown as it was entered. The database enforces the same identity
    with ``Lower("email")`` (see ``Contact.Meta``): addresses are ASCII in their local
    part (``validate_email``) and their domain is lower-cased here, so Python's lower()
    and the database's agree."""
    return email.lower()


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
