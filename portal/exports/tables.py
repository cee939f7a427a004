"""Tables as downloadable files: CSV (UTF-8 with BOM, so Excel reads the Chinese) and XLSX (openpyxl). Pure."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

FORMATS = ("csv", "xlsx")
MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class Table:
    """A titled table with Chinese headers and the filters that produced it (label, value)."""

    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    filters: list[tuple[str, str]] = field(default_factory=list)

    def filter_line(self) -> str:
        """The filters in one line, e.g. "筛选条件：政策=全部；状态=待处理"."""
        parts = "；".join(f"{label}={value}" for label, value in self.filters) or "无"
        return f"筛选条件：{parts}"


def _cell(value: Any) -> Any:
    """What a cell holds: money with two places, dates as ISO text, None as empty."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _safe_text(value: Any) -> Any:
    # A cell starting with = + - @ would run as a formula in Excel (CSV injection): quote it as text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(table: Table) -> bytes:
    """The table as CSV: a first line naming the filters, then the header row and the rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([table.filter_line()])
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_safe_text(_cell(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    """The table as an XLSX workbook: one sheet of data, one sheet "筛选条件" with the filters applied."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = table.title[:31] or "导出"
    sheet.append(table.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        # Money stays a number in XLSX (Decimal → float with two places shown), text is guarded like CSV.
        sheet.append([float(v) if isinstance(v, Decimal) else _safe_text(_cell(v)) for v in row])
    for index, _ in enumerate(table.headers, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = 18
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, float):
                cell.number_format = "#,##0.00"
    filters = book.create_sheet("筛选条件")
    filters.append(["条件", "取值"])
    for label, value in table.filters or [("筛选", "无")]:
        filters.append([label, value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render(table: Table, fmt: str) -> bytes:
    """The table in a format of FORMATS."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    return to_csv(table) if fmt == "csv" else to_xlsx(table)
