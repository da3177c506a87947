"""The masthead (报头): read from the header when it is printed, completed from what the
caller supplies when it is not, and checked. It never guesses: a field that is neither
printed nor supplied, or printed and supplied differently, leaves the masthead unset and
says why."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bulletins.document import BULLETIN_TITLE, ISSUER, Masthead, chinese_date

from .blocks import Block
from .text import chinese_number, key

_NUMERAL = r"[0-9０-９一二三四五六七八九十〇零两]{1,4}"
ISSUE_LINE = re.compile(
    rf"(?P<year>\d{{4}})\s*年\s*第\s*(?P<number>{_NUMERAL})\s*期"
    rf"\s*(?:[（(]\s*总\s*第\s*(?P<cumulative>{_NUMERAL}|\d{{1,5}})\s*期\s*[)）])?"
)
DATE_LINE = re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日$")
_TITLE_KEYS = {key(BULLETIN_TITLE), key("简报"), key(BULLETIN_TITLE + "简报")}
FIRST_YEAR = 2000  # the pilot began in 2007; anything before 2000 is a misprint

FIELD_LABELS = {
    "volume_year": "卷年（第几年的简报）",
    "number": "期号（第几期）",
    "cumulative_number": "总期号（总第几期）",
    "issued_on": "印发日期",
}
OPTION_NAMES = {
    "volume_year": "--year",
    "number": "--number",
    "cumulative_number": "--cumulative",
    "issued_on": "--date",
}


@dataclass
class Header:
    """What the header prints, field by field (None where it prints nothing)."""

    volume_year: int | None = None
    number: int | None = None
    cumulative_number: int | None = None
    issued_on: date | None = None
    issuer: str = ""
    title_seen: bool = False
    lines: str = ""  # 「第3–11行」, for messages
    problems: list[str] = field(default_factory=list)


def read_header(blocks: list[Block]) -> Header:
    header = Header()
    if blocks:
        header.lines = f"第{blocks[0].first}–{blocks[-1].last}行"
    for block in blocks:
        text = block.text.strip()
        compact = key(text)
        if block.rule or not compact:
            continue
        if compact in _TITLE_KEYS:
            header.title_seen = True
            continue
        issue = ISSUE_LINE.search(text)
        if issue:
            _read_issue_line(issue, block, header)
            continue
        when = DATE_LINE.match(compact)
        if when:
            try:
                header.issued_on = date(int(when["y"]), int(when["m"]), int(when["d"]))
            except ValueError:
                header.problems.append(f"报头的印发日期「{text}」（{block.lines}）不存在。")
            continue
        if text == ISSUER or text.endswith("办公室"):
            header.issuer = text
            continue
        header.problems.append(f"报头中有无法识别的内容（{block.lines}）：「{text}」。")
    return header


def _read_issue_line(match: re.Match, block: Block, header: Header) -> None:
    header.volume_year = int(match["year"])
    number = chinese_number(match["number"])
    if number is None:
        header.problems.append(f"报头的期号「{match['number']}」（{block.lines}）不是数字。")
    else:
        header.number = number
    if match["cumulative"] is None:
        return
    cumulative = chinese_number(match["cumulative"])
    if cumulative is None:
        header.problems.append(f"报头的总期号「{match['cumulative']}」（{block.lines}）不是数字。")
    else:
        header.cumulative_number = cumulative


def _show(name: str, value) -> str:
    if value is None:
        return "无"
    if name == "issued_on":
        return chinese_date(value)
    if name == "volume_year":
        return f"{value}年"
    if name == "number":
        return f"第{value}期"
    return f"总第{value}期"


def build_masthead(
    header: Header,
    *,
    volume_year: int | None,
    number: int | None,
    cumulative_number: int | None,
    issued_on: date | None,
    today: date | None = None,
) -> tuple[Masthead | None, list[str]]:
    """The masthead from the header completed by the supplied values, with the problems
    that keep it from being built. None when any field is missing, contradicted or
    impossible."""
    problems = list(header.problems)
    supplied = {
        "volume_year": volume_year,
        "number": number,
        "cumulative_number": cumulative_number,
        "issued_on": issued_on,
    }
    values = {}
    for name, option in supplied.items():
        printed = getattr(header, name)
        if printed is not None and option is not None and printed != option:
            problems.append(
                f"{FIELD_LABELS[name]}不一致：报头印的是{_show(name, printed)}，"
                f"另行指定的是{_show(name, option)}（{OPTION_NAMES[name]}）。请核对，"
                "报头有的就不要另行指定。"
            )
            values[name] = None
            continue
        values[name] = printed if printed is not None else option

    missing = [n for n, v in values.items() if v is None and not _contradicted(n, problems)]
    if missing:
        labels = "、".join(FIELD_LABELS[n] for n in missing)
        options = "、".join(OPTION_NAMES[n] for n in missing)
        where = "原文没有报头" if not header.lines else "报头里没有印"
        problems.append(f"{where}，缺少{labels}；请另行指定（命令行选项 {options}）。")

    problems += _impossible(values, today=today or date.today())
    if problems:
        return None, problems
    masthead = Masthead(
        volume_year=values["volume_year"],
        number=values["number"],
        cumulative_number=values["cumulative_number"],
        issued_on=values["issued_on"],
        issuer=header.issuer or ISSUER,
    )
    return masthead, problems


def _contradicted(name: str, problems: list[str]) -> bool:
    return any(p.startswith(FIELD_LABELS[name] + "不一致") for p in problems)


def _impossible(values: dict, *, today: date) -> list[str]:
    problems = []
    year, number = values["volume_year"], values["number"]
    cumulative, issued_on = values["cumulative_number"], values["issued_on"]
    if year is not None and not FIRST_YEAR <= year <= today.year + 1:
        problems.append(f"卷年{year}年不可能：应在{FIRST_YEAR}年到{today.year + 1}年之间。")
    if number is not None and number < 1:
        problems.append(f"期号第{number}期不可能：期号从第1期起。")
    if cumulative is not None and cumulative < 1:
        problems.append(f"总期号总第{cumulative}期不可能：总期号从总第1期起。")
    if number is not None and cumulative is not None and 1 <= cumulative < number:
        problems.append(
            f"总期号总第{cumulative}期小于期号第{number}期：总期号是创刊以来的累计期数，"
            "不会小于当年的期号。"
        )
    # 2023年第6期 may be dated 2024年1月10日, never before its year nor a year later.
    if issued_on is not None and year is not None and not year <= issued_on.year <= year + 1:
        problems.append(
            f"印发日期{chinese_date(issued_on)}与卷年{year}年不符：应在{year}年或{year + 1}年初。"
        )
    return problems
