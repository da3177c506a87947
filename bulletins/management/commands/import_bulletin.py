"""``manage.py import_bulletin FILE… [--dry-run] [--force] [--user NAME]``: parse old
issues, show what was found, and save them into the archive as signed, imported issues
(``bulletins.importer.save``).

A dry run writes nothing; it exits non-zero only when a file cannot be read as a bulletin
at all (problems inside a bulletin are listed, not fatal). Without ``--dry-run`` each file
is saved in its own transaction; a file with problems or unknown alliances is refused
unless ``--force``. The command exits non-zero when any file could not be saved.
"""

import argparse
import re
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role, User
from alliances.models import Alliance
from bulletins.document import chinese_date
from bulletins.importer import (
    BulletinParseError,
    ParseResult,
    decode_bulletin,
    parse_bulletin,
    resolve_attributions,
)
from bulletins.importer.blocks import SHAPE_LABELS
from bulletins.importer.resolve import ALLIANCE, NETWORK
from bulletins.importer.save import import_save_outcome

ORDINALS = "一二三四五六七八九十"


def _integer(label):
    def parse(value: str) -> int:
        try:
            return int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{label}应是整数，而不是「{value}」。") from None

    return parse


def _date(value: str) -> date:
    match = re.fullmatch(
        r"\s*(\d{4})\s*(?:-|年)\s*(\d{1,2})\s*(?:-|月)\s*(\d{1,2})\s*日?\s*", value
    )
    try:
        if match:
            return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期「{value}」不存在。") from None
    raise argparse.ArgumentTypeError(f"日期「{value}」格式不对，应写成 2023-01-16。")


class Command(BaseCommand):
    help = (
        "导入往期简报（Markdown、纯文本或PDF提取的文字）：显示报头、栏目、稿件标题、"
        "供稿单位及其对应的联盟、版记和发现的问题，并保存为已签发的往期（加 --dry-run 只预览）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="往期简报的文本文件")
        parser.add_argument("--year", type=_integer("卷年"), help="卷年（原文没有报头时）")
        parser.add_argument("--number", type=_integer("期号"), help="期号，第几期")
        parser.add_argument("--cumulative", type=_integer("总期号"), help="总期号，总第几期")
        parser.add_argument("--date", type=_date, help="印发日期，如 2023-01-16")
        parser.add_argument("--dry-run", action="store_true", help="只解析和显示，不写入数据库")
        parser.add_argument(
            "--force", action="store_true", help="有问题或有名录中没有的联盟时仍然保存"
        )
        parser.add_argument(
            "--user", help="记为导入人的用户名（须是编辑或系统管理员；默认取第一位编辑）"
        )

    def handle(self, *args, files, year, number, cumulative, date, dry_run, force, user, **options):
        actor = None if dry_run else _actor(user)
        supplied = [year, number, cumulative, date]
        if len(files) > 1 and any(value is not None for value in supplied):
            raise CommandError(
                "--year、--number、--cumulative、--date 说的是某一期，只能和一个文件一起用。"
            )
        if not Alliance.objects.exists():
            self.stdout.write("提示：联盟名录是空的，供稿单位无法对应；请先运行 load_alliances。")
        failed = []
        for name in files:
            try:
                result = self._parse(Path(name), year, number, cumulative, date)
            except BulletinParseError as error:
                failed.append(name)
                self.stderr.write(f"文件 {name} 无法导入：{error}")
                continue
            self._show(Path(name), result)
            if actor is not None and not self._save(Path(name), result, actor, force):
                failed.append(name)
        if failed:
            raise CommandError(f"{len(failed)} 个文件无法导入：{'、'.join(failed)}。")

    def _save(self, path: Path, result: ParseResult, actor, force: bool) -> bool:
        try:
            outcome = import_save_outcome(result, actor=actor, source_name=path.name, force=force)
        except (ValidationError, PermissionDenied) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            self.stderr.write(f"文件 {path.name} 没有保存：")
            for message in messages:
                self.stderr.write(f"  - {message}")
            return False
        issue = outcome.issue
        counts = f"{issue.sections.count()}个栏目，{issue.items.count()}篇稿件"
        if outcome.created:
            self.stdout.write(f"已保存：新建往期{issue.issue_line}（{counts}），状态为已签发。")
        elif outcome.changed:
            self.stdout.write(f"已保存：更新往期{issue.issue_line}（{counts}），内容已替换。")
        else:
            self.stdout.write(f"未改动：往期{issue.issue_line}已导入过，内容相同。")
        return True

    def _parse(self, path: Path, year, number, cumulative, issued_on) -> ParseResult:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise BulletinParseError("找不到这个文件。") from None
        except IsADirectoryError:
            raise BulletinParseError("这是一个文件夹，不是文件。") from None
        except OSError as error:
            raise BulletinParseError(f"读不了这个文件（{error.strerror}）。") from None
        return parse_bulletin(
            decode_bulletin(data),
            year=year,
            number=number,
            cumulative=cumulative,
            issued_on=issued_on,
        )

    # ------------------------------------------------------------------ output

    def _show(self, path: Path, result: ParseResult) -> None:
        write = self.stdout.write
        write("")
        write(f"文件：{path.name}（{SHAPE_LABELS[result.shape]}）")
        masthead = result.masthead
        if masthead is not None:
            write(
                f"期次：{masthead.issue_line}　印发日期：{chinese_date(masthead.issued_on)}"
                f"　{masthead.issuer}"
            )
        else:
            write("期次：无法确定（见下方问题）")
        matches = {(m.title, m.attribution): m for m in resolve_attributions(result)}
        spans = iter(result.item_spans)
        number = 0
        tables = 0
        for index, section in enumerate(result.sections):
            ordinal = ORDINALS[index] if index < len(ORDINALS) else str(index + 1)
            write(f"栏目{ordinal}：{section.title}（{len(section.items)}篇）")
            for item in section.items:
                number += 1
                item_tables = item.body_html.count("<table")
                tables += item_tables
                extra = f"　［含表格{item_tables}个］" if item_tables else ""
                write(f"  {number}. {item.title or '（无标题）'}　〔{next(spans)}〕{extra}")
                if item.attribution:
                    match = matches.get((item.title, item.attribution))
                    write(f"     供稿：{item.attribution} → {_resolved(match)}")
        for block in result.free_blocks:
            paragraphs = block.body_html.count("<p>")
            write(f"附加内容：{block.title}（{paragraphs}段）")
        self._end_matter(result)
        toc_items = sum(len(titles) for _, titles in result.toc)
        if result.toc:
            write(f"本期导读：{len(result.toc)}个栏目，{toc_items}条")
        write(
            f"合计：{len(result.sections)}个栏目，{number}篇稿件，{tables}个表格，"
            f"{len(result.free_blocks)}个附加内容"
        )
        if result.notes:
            write(f"处理说明（{len(result.notes)}条）：")
            for note in result.notes:
                write(f"  - {note}")
        if result.problems:
            write(f"问题（{len(result.problems)}个）：")
            for problem in result.problems:
                write(f"  - {problem}")
        else:
            write("问题：无")

    def _end_matter(self, result: ParseResult) -> None:
        end = result.end_matter
        if not any([end.report_to, end.send_to, end.editor, end.contact_lines]):
            self.stdout.write("版记：无")
            return
        self.stdout.write("版记：")
        self.stdout.write(f"  报：{end.report_to or '（无）'}")
        self.stdout.write(f"  送：{end.send_to or '（无）'}")
        self.stdout.write(
            f"  本期编辑：{end.editor or '（无）'}　审核：{end.reviewer or '（无）'}"
            f"　签发：{end.signer or '（无）'}"
        )
        for line in end.contact_lines:
            self.stdout.write(f"  {line}")


def _actor(username):
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户名为「{username}」的用户。")
        return user
    user = (
        User.objects.filter(is_active=True, role_grants__role__in=[Role.EDITOR, Role.ADMINISTRATOR])
        .order_by("pk")
        .first()
    )
    if user is None:
        raise CommandError("系统中还没有编辑或系统管理员：请先建立用户，或用 --user 指定导入人。")
    return user


def _resolved(match) -> str:
    if match is None:
        return "（未核对）"
    if match.kind == NETWORK:
        return "联盟协发网自身的稿件（不是联盟）"
    if match.kind != ALLIANCE:
        return "信息来源（不是联盟）"
    if match.alliance is not None:
        code = match.alliance.code or "未登记"
        return f"{match.alliance.full_name}（批次{code}）"
    closest = "、".join(f"{name}（{alliance.full_name}）" for name, alliance in match.suggestions)
    return "名录中没有这个联盟；" + (f"最接近的：{closest}" if closest else "也没有相近的名称")
