"""Reference lists that admins keep: provinces (and, later, other lookups)."""
