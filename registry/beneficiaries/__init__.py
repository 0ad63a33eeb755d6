"""Participants (beneficiaries): registration, search, duplicates, merge, import and export."""
