"""Values written to CSV or XLSX files that people open in spreadsheet programs."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text as it is, except that a value a spreadsheet would run as a formula is quoted to stay text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
