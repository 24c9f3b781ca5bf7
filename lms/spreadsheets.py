"""Values written to CSV or XLSX files that people open in spreadsheet programs."""

import csv

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text as it is, except that a value a spreadsheet would run as a formula is quoted to stay text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def spreadsheet_cell(value):
    """Numbers stay numbers; text is spreadsheet-safe."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    if hasattr(value, "as_tuple"):  # Decimal
        return float(value)
    return spreadsheet_safe(value)


def csv_response(filename, header, rows):
    """A CSV download (UTF-8 with a byte-order mark, so spreadsheet programs read names right)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([spreadsheet_safe(value) for value in header])
    for row in rows:
        writer.writerow([spreadsheet_cell(value) for value in row])
    return response
