"""What follows the last item: free blocks (a 致谢 with holiday greetings) and the end
matter (版记: 报, 送, 本期编辑/审核/签发, the contact block)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .blocks import Block
from .html import Part
from .text import join_lines, key, quote, squash, stops_mid_sentence

if TYPE_CHECKING:
    from .structure import IssueStructure

FREE_BLOCK_TITLES = {key("致谢"): "致谢"}
_END_LABEL = re.compile(r"^(?:报|送|抄送|报送)\s*[：:]|^(?:本期编辑|审核|签发)\s*[：:]")
_NAMES = re.compile(r"(本期编辑|审核|签发)\s*[：:]")
_NAME_FIELDS = {"本期编辑": "editor", "审核": "reviewer", "签发": "signer"}
_CONTACT = re.compile(r"电话|地址|网站|网址|邮箱|微信|传真|@|www\.", re.IGNORECASE)


@dataclass
class DraftFreeBlock:
    title: str
    first: int
    last: int
    parts: list[Part] = field(default_factory=list)


def starts_tail(block: Block) -> bool:
    """The block opens a free block or the end matter: the items are over."""
    text = squash(block.text)
    return bool(_END_LABEL.match(text)) or key(text) in FREE_BLOCK_TITLES


def read_tail(blocks: list[Block], out: IssueStructure) -> None:
    """Fill ``out.free_blocks`` and ``out.end_matter`` from the blocks after the items."""
    _Tail(out).read(blocks)


class _Tail:
    def __init__(self, out: IssueStructure):
        self.out = out

    def read(self, blocks: list[Block]) -> None:
        free: DraftFreeBlock | None = None
        names_seen = False
        end = self.out.end_matter
        for block in blocks:
            if block.rule:
                continue
            text = squash(block.text)
            if key(text) in FREE_BLOCK_TITLES:
                free = DraftFreeBlock(FREE_BLOCK_TITLES[key(text)], block.first, block.last)
                self.out.free_blocks.append(free)
                continue
            if _END_LABEL.match(text):
                free = None
                self._mark_end_matter(block)
                label = re.split(r"[：:]", text, maxsplit=1)[0].strip()
                if label in ("报", "报送"):
                    end.report_to = self._once(label, end.report_to, text, block)
                elif label in ("送", "抄送"):
                    end.send_to = self._once(label, end.send_to, text, block)
                else:
                    names_seen = self._names(text, block) or names_seen
                continue
            if free is not None:
                previous = free.parts[-1] if free.parts else None
                if previous is not None and stops_mid_sentence(previous.text):
                    previous.html = (
                        previous.html + block.inline_html if previous.html or block.html else ""
                    )
                    previous.text = join_lines([previous.text, text])
                else:
                    free.parts.append(Part("p", text, html=block.html))
                free.last = block.last
                continue
            if self.out.end_matter_lines and (names_seen or _CONTACT.search(text)):
                self._mark_end_matter(block)
                end.contact_lines.append(text)
                continue
            self.out.problems.append(f"文末有无法归类的内容（{block.lines}）：「{quote(text)}」。")

    def _mark_end_matter(self, block: Block) -> None:
        first = self.out.end_matter_lines[0] if self.out.end_matter_lines else block.first
        self.out.end_matter_lines = (first, block.last)

    def _once(self, label: str, existing: str, text: str, block: Block) -> str:
        value = squash(re.split(r"[：:]", text, maxsplit=1)[1])
        if existing:
            self.out.problems.append(
                f"版记中「{label}：」出现了两次（{block.lines}）；两处内容都已保留，请核对。"
            )
            return f"{existing} {value}"
        return value

    def _names(self, text: str, block: Block) -> bool:
        pieces = _NAMES.split(text)
        if pieces[0].strip():
            self.out.problems.append(f"版记中无法识别的内容（{block.lines}）：「{quote(text)}」。")
            return False
        end = self.out.end_matter
        for label, value in zip(pieces[1::2], pieces[2::2], strict=True):
            value = squash(value)
            attr = _NAME_FIELDS[label]
            if getattr(end, attr) and getattr(end, attr) != value:
                self.out.problems.append(
                    f"版记中「{label}」出现了两次（{block.lines}）："
                    f"「{getattr(end, attr)}」和「{value}」。"
                )
                continue
            setattr(end, attr, value)
        return True
