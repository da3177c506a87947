"""Contact sheets in and out: CSV (UTF-8 or GB18030, as Excel in China saves it) and XLSX.

Reading checks the file by its content, not its name, caps its size and row count, and
returns the rows as plain dicts keyed by column (``list``, ``organisation``, ``name``,
``email``). Writing escapes every cell against formula injection.
"""

from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import Workbook, load_workbook

from core.sheets import escape_cell
from core.uploads import UploadRejected, check_office, display_name

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 50  # the columns read; more are ignored

# Header spellings we accept -> column key.
HEADERS = {
    "名单": "list",
    "报送": "list",
    "list": "list",
    "单位": "organisation",
    "单位名称": "organisation",
    "organisation": "organisation",
    "organization": "organisation",
    "姓名": "name",
    "联系人": "name",
    "name": "name",
    "电子邮箱": "email",
    "邮箱": "email",
    "电子邮件": "email",
    "email": "email",
    "e-mail": "email",
}
REQUIRED = ("organisation", "name", "email")
EXPORT_HEADER = ["名单", "单位", "姓名", "电子邮箱", "接收简报"]
COLUMN_LABELS = {"list": "名单", "organisation": "单位", "name": "姓名", "email": "电子邮箱"}


class SheetError(ValueError):
    """The file as a whole cannot be read; the message says why, in Chinese."""


def _header_key(cell) -> str | None:
    text = "" if cell is None else str(cell).strip().lstrip("\ufeff").lower()
    return HEADERS.get(text)


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise SheetError("文件不是 CSV 文本或 XLSX 表格，请另存为 .xlsx 或 .csv 后再上传。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError("无法识别 CSV 文件的文字编码，请另存为 UTF-8 编码的 CSV 或 .xlsx。")


def _csv_rows(data: bytes):
    text = _decode(data)
    # The delimiter is whichever of , ; tab the header line uses most (csv.Sniffer guesses
    # quoting wrongly on cells such as ="…").
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    yield from csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter)


def _xlsx_rows(data: bytes, filename: str = ""):
    # The same zip checks as every Office upload, before openpyxl unpacks anything: no
    # zip bomb (openpyxl reads the shared strings whole), no macros, no external links.
    try:
        check_office(display_name(filename), data, "xlsx")
    except UploadRejected as error:
        raise SheetError(" ".join(error.messages)) from None
    try:
        # data_only=False: a formula cell reads as its formula text ("=…"), which the
        # checks then refuse by name, instead of as an empty cached value.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise SheetError(f"XLSX 文件已损坏或不是 Excel 表格（{type(error).__name__}）。") from None
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            yield ["" if value is None else value for value in row]
    finally:
        workbook.close()


def read_contact_rows(data: bytes, filename: str = "") -> list[tuple[int, dict]]:
    """``[(row number as the user sees it, {column: raw value})]``, blank rows left out.

    Raises ``SheetError`` for a file that cannot be read at all: too large, not CSV/XLSX,
    no header row with the required columns, too many rows.
    """
    if len(data) > MAX_BYTES:
        raise SheetError(f"文件超过 {MAX_BYTES // 1024 // 1024} MB，请拆分后分批导入。")
    if not data.strip():
        raise SheetError("文件是空的。")
    if filename.lower().endswith(".xls") and not data.startswith(b"PK"):
        raise SheetError("不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 或 .csv 后再上传。")
    rows = _xlsx_rows(data, filename) if data.startswith(b"PK\x03\x04") else _csv_rows(data)
    header: dict[int, str] | None = None
    out = []
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS * 2:  # blank rows count too: a sheet of a million empty rows
            raise SheetError(f"一次最多导入 {MAX_ROWS} 行，请拆分后分批导入。")
        cells = list(row)[:MAX_COLUMNS]
        if header is None:
            keys = {index: _header_key(cell) for index, cell in enumerate(cells)}
            header = {index: key for index, key in keys.items() if key}
            missing = [COLUMN_LABELS[key] for key in REQUIRED if key not in header.values()]
            if missing:
                raise SheetError(
                    "第 1 行应为表头，须包含“单位”“姓名”“电子邮箱”三列（可另加“名单”列，"
                    f"填“报”或“送”）；缺少：{'、'.join(missing)}。"
                )
            continue
        values = {key: cells[index] if index < len(cells) else "" for index, key in header.items()}
        if all(str(value).strip() == "" for value in values.values()):
            continue
        out.append((number, {key: "" if v is None else str(v) for key, v in values.items()}))
        if len(out) > MAX_ROWS:
            raise SheetError(f"一次最多导入 {MAX_ROWS} 行，请拆分后分批导入。")
    if header is None:
        raise SheetError("文件中没有表头和数据。")
    return out


def contacts_csv(rows) -> bytes:
    """CSV (UTF-8 with BOM, so that Excel opens it right) of ``rows`` (lists of values)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([escape_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def contacts_xlsx(rows, *, title: str = "联系人") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append([escape_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
