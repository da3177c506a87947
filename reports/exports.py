"""The statistics table as CSV (UTF-8 with BOM, so Excel shows the Chinese) and XLSX.

Every text cell goes through ``core.sheets.escape_cell``, the project's one
guard against formula injection (a name starting with = + - @ tab or CR gets a leading
apostrophe). Counts stay numbers in the XLSX.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from core.sheets import escape_cell

from .statistics import Report

HEADER = ["批次编号", "联盟全称", "简称", "收到投稿", "采用", "采用率", "刊发稿件", "本期未供稿"]


def report_rows(report: Report) -> list[list]:
    """Header, one row per alliance in the report's order, then the totals row."""
    rows: list[list] = [HEADER]
    for row in report.rows:
        alliance = row.alliance
        rows.append(
            [
                alliance.code or "",
                alliance.full_name,
                alliance.short_name,
                row.received,
                row.accepted,
                row.rate_label,
                row.items,
                "是" if row.sent_nothing else "",
            ]
        )
    totals = report.totals
    rows.append(
        [
            "",
            f"合计（{len(report.rows)}个联盟）",
            "",
            totals.received,
            totals.accepted,
            totals.rate_label,
            totals.items,
            f"{len(report.silent)}个",
        ]
    )
    return rows


def report_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in report_rows(report):
        writer.writerow([escape_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def report_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "联盟供稿统计"
    rows = report_rows(report)
    for row in rows:
        sheet.append([value if isinstance(value, int) else escape_cell(value) for value in row])
    bold = Font(bold=True)
    for cell in (*sheet[1], *sheet[len(rows)]):
        cell.font = bold
    for letter, width in zip("ABCDEFGH", (10, 40, 24, 10, 8, 8, 10, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    silent = workbook.create_sheet("未供稿联盟")
    silent.append(["批次编号", "联盟全称", "统计期间"])
    silent["A1"].font = silent["B1"].font = silent["C1"].font = bold
    for alliance in report.silent:
        silent.append(
            [escape_cell(alliance.code or ""), escape_cell(alliance.full_name), report.period.label]
        )
    silent.column_dimensions["B"].width = 40
    silent.column_dimensions["C"].width = 30
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
