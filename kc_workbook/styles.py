"""The one palette of every workbook we write: the font, the colours of a status, the fills of
headings and input cells. Participants' workbooks, the report, the reasons workbook and
«Динамика» look alike because they take them from here."""

from __future__ import annotations

FONT_SIZE = 10
# Arial 10 (Liberation Sans where Arial is missing) as every workbook's default font: columns
# are as wide in LibreOffice as in Excel, and print at the size they were planned for.
DEFAULT_FONT = {"font_name": "Arial", "font_size": FONT_SIZE}

RED, GREEN, GREY, YELLOW = "red", "green", "grey", "yellow"
# status → (fill, font colour), as Excel's own «Good / Bad / Neutral» styles
FILLS = {RED: ("#FFC7CE", "#9C0006"), GREEN: ("#C6EFCE", "#006100"), GREY: ("#E7E6E6", "#595959"),
         YELLOW: ("#FFEB9C", "#9C5700")}
HEAD_FILL = "#DDEBF7"  # column headings
INPUT_FILL = "#FFF2CC"  # cells a person fills


def status_format(colour: str) -> dict:
    """xlsxwriter format properties of a status colour (for cells and conditional formats)."""
    fill, font = FILLS[colour]
    return {"bg_color": fill, "font_color": font}
