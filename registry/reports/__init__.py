"""Donor reports: indicators computed from the records, with their disaggregations. Nothing imports this package."""
