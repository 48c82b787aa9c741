"""A table as an Excel workbook (openpyxl): the download a policy officer opens.

Presentation only, no models. Numbers stay numbers (Excel shows them with the reader's decimal
comma), each numeric column has a number format with its number of decimals, headings are bold
and frozen, columns are as wide as their contents. A text that Excel would run as a formula gets
a leading apostrophe, as in the CSV exports.
"""

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Cell = str | int | float | bool | datetime.date | None

_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_MAX_WIDTH: Final = 60
DATE_FORMAT: Final = "dd-mm-yyyy"


def number_format(places: int) -> str:
    """Excel's format for a number with ``places`` decimals and a thousands separator: the reader's
    Excel shows its own separators (``1.234,50`` in Dutch)."""
    return "#,##0" if places == 0 else "#,##0." + "0" * places


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a title (at most 31 characters, Excel's limit), lines of text above the
    table (title, period), the column headings and the rows. ``places`` gives per column the
    decimals of its numbers (None: as they come)."""

    title: str
    headings: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    places: Sequence[int | None] = ()
    preamble: Sequence[str] = field(default=())


def _safe(value: Cell) -> Cell:
    if isinstance(value, str) and value[:1] in _FORMULA_STARTS:
        return f"'{value}"
    return value


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as an .xlsx file."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=sheet.title[:31])
        for line in sheet.preamble:
            worksheet.append([line])
        if sheet.preamble:
            worksheet["A1"].font = Font(bold=True, size=13)
            worksheet.append([])
        heading_row = worksheet.max_row + 1 if sheet.preamble else 1
        worksheet.append(list(sheet.headings))
        for cell in worksheet[heading_row]:
            cell.font = bold
        worksheet.freeze_panes = worksheet.cell(row=heading_row + 1, column=1)
        widths = [len(str(heading)) for heading in sheet.headings]
        for row in sheet.rows:
            worksheet.append([_safe(value) for value in row])
            for index, value in enumerate(row):
                if index < len(widths):
                    widths[index] = max(widths[index], len(str(value)) if value is not None else 0)
        for index, places in enumerate(sheet.places):
            if places is None:
                continue
            for (cell,) in worksheet.iter_rows(
                min_row=heading_row + 1, min_col=index + 1, max_col=index + 1, max_row=worksheet.max_row
            ):
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    cell.number_format = number_format(places)
        for row_cells in worksheet.iter_rows(min_row=heading_row + 1):
            for cell in row_cells:
                if isinstance(cell.value, datetime.date):
                    cell.number_format = DATE_FORMAT
        for index, width in enumerate(widths, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = min(_MAX_WIDTH, max(10, width + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_CONTENT_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
