"""Small rules about Chinese text that the importer applies everywhere.

They decide only from what is printed: where a sentence ends, whether a line reads like
a title, which spaces are typesetting artefacts. None of them adds or removes a
character other than whitespace.
"""

import difflib
import re
import unicodedata

_SPACES = re.compile(r"\s+")

# A paragraph that ends with one of these ended on purpose. The closing marks count when a
# sentence mark stands before them (「……。”」).
SENTENCE_END = "。！？!?…；;"
_CLOSERS = "”’」』）)】》"

# A paragraph whose last character is one of these stopped in the middle of a sentence:
# a page break of the original fell there (「……国家关」 / 「于土地承包期……」).
_OPENERS = "，、（(《“‘「『—-/"

CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
CHINESE_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}

# 一、 二、 …  and （一） （二） … open a sub-heading inside an item.
_ORDINAL = "[一二三四五六七八九十]{1,3}"
SUBHEADING = re.compile(rf"^(?:{_ORDINAL}、|[（(]{_ORDINAL}[)）])\S")

# 「（…供稿）」「(…供稿)」 and the policy items' 「（…摘述。信息来源：…）」.
ATTRIBUTION = re.compile(
    r"^[（(](?P<inner>[^\n]{2,150}?(?:供稿|摘述|信息来源|来源)[^\n]{0,60}?)[)）]$"
)


def squash(text: str) -> str:
    """Every run of whitespace as one space, none at the ends."""
    return _SPACES.sub(" ", text).strip()


def quote(text: str, limit: int = 40) -> str:
    """The text for a message, shortened to ``limit`` characters."""
    text = squash(text)
    return text if len(text) <= limit else text[:limit] + "…"


def key(text: str) -> str:
    """The form two titles are compared in: no whitespace, no bold markers, NFKC."""
    text = unicodedata.normalize("NFKC", text.replace("**", ""))
    return _SPACES.sub("", text)


def is_ascii_word(char: str) -> bool:
    return bool(char) and char.isascii() and char.isalnum()


def join_lines(parts: list[str]) -> str:
    """Join the lines of one paragraph: no space between Chinese characters, one space
    between two Latin words (「primordial」 / 「follicle」)."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and is_ascii_word(out[-1]) and is_ascii_word(part[0]):
            out += " "
        out += part
    return out


def drop_cjk_spaces(text: str) -> str:
    """Keep a space only between two ASCII characters.

    Text extracted from a PDF carries the gaps the typesetter put between Chinese and
    Latin text (「钒钛联盟 2022 年度」) as spaces; the bulletin itself prints none
    (「钒钛联盟2022年度」). Spaces inside Latin text (「ISO/IEC 29167-16:2022」) stay.
    """
    text = squash(text)
    out = []
    for i, char in enumerate(text):
        if char == " ":
            before, after = text[i - 1], text[i + 1]
            if not (before.isascii() and after.isascii()):
                continue
        out.append(char)
    return "".join(out)


def ends_sentence(text: str) -> bool:
    """The paragraph ends with a sentence mark (possibly followed by closing quotes)."""
    text = text.rstrip()
    while text and text[-1] in _CLOSERS:
        text = text[:-1]
        if text and text[-1] in SENTENCE_END:
            return True
    return bool(text) and text[-1] in SENTENCE_END


def stops_mid_sentence(text: str) -> bool:
    """The paragraph stops inside a word or clause: its last character is a Chinese
    character, a Latin letter or digit, a comma or an opening mark."""
    text = text.rstrip()
    if not text:
        return False
    last = text[-1]
    if last in _OPENERS:
        return True
    if last in SENTENCE_END or last in _CLOSERS or last in "：:":
        return False
    return last.isalnum()  # str.isalnum() is true for Chinese characters too


def is_attribution(text: str) -> bool:
    return bool(ATTRIBUTION.match(squash(text)))


def normalise_attribution(text: str) -> str:
    """「(…供稿)」 → 「（…供稿）」: the outer parentheses full-width, as printed today."""
    inner = ATTRIBUTION.match(squash(text)).group("inner")
    return f"（{inner.strip()}）"


def title_like(text: str, *, limit: int = 80) -> bool:
    """Reads like an item title: one short line that is not a sentence.

    Titles carry no 。 or ；, do not end with a sentence mark or a colon, and are not a
    note in 【】 or an attribution line.
    """
    text = squash(text)
    if not text or len(text) > limit:
        return False
    if "。" in text or "；" in text or text[0] in "【[":
        return False
    if text[-1] in SENTENCE_END or text[-1] in "：:":
        return False
    return not is_attribution(text)


def chinese_number(text: str) -> int | None:
    """「12」「１２」「十二」「二十三」 → int; None if it is not a number."""
    text = unicodedata.normalize("NFKC", text.strip())
    if text.isdigit():
        return int(text)
    if not text or any(c not in CHINESE_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return int("".join(str(CHINESE_DIGITS[c]) for c in text)) if len(text) <= 3 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (CHINESE_DIGITS[tens] if tens else 1) * 10 + (CHINESE_DIGITS[ones] if ones else 0)


def fix_title_spaces(title: str, toc_title: str) -> str:
    """Drop the spaces of a body title that its 本期导读 line does not have.

    In the old issues a title broken over two lines keeps the break as a space
    (「…习近平总书记 在全国两会上…」) while the 导读 prints it in one piece; a space the
    导读 prints too (「中共中央 国务院」) is the title's own. The two titles may differ in
    wording, so characters are aligned before the spaces are compared.
    """
    if " " not in title:
        return title
    body = title.replace(" ", "")
    toc_chars = [c for c in toc_title if not c.isspace()]
    toc_space_after = set()  # indexes i of toc_chars with a space between i and i + 1
    seen = -1
    for char in toc_title:
        if char.isspace():
            if seen >= 0:
                toc_space_after.add(seen)
        else:
            seen += 1
    mapping = {}
    matcher = difflib.SequenceMatcher(None, body, "".join(toc_chars), autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            mapping[block.a + k] = block.b + k
    out, index = [], -1
    for char in title:
        if char != " ":
            index += 1
            out.append(char)
            continue
        left, right = mapping.get(index), mapping.get(index + 1)
        adjacent_in_toc = left is not None and right == left + 1
        if adjacent_in_toc and left not in toc_space_after:
            continue  # the 导读 prints these two characters side by side
        out.append(char)  # the 导读 has the space too, or gives no evidence: keep it
    return "".join(out)
