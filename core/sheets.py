"""Spreadsheet cells: the project's one guard against formula injection in CSV and XLSX
files it writes (address lists, statistics), and the prefixes that make a cell a formula
for the checks of files it reads."""

# A cell that starts with one of these is read as a formula by Excel and LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def escape_cell(value) -> str:
    """A value safe to put in a CSV or XLSX cell: text that a spreadsheet would run as a
    formula gets a leading apostrophe (the OWASP advice)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text
