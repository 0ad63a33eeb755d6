"""Spreadsheet builders: plain rows in, an openpyxl workbook out. Nothing here imports registry."""

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"  # what every builder writes
