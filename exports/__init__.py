"""Spreadsheet builders: plain rows in, an openpyxl workbook out. Nothing here imports registry."""
