"""Reference lists that admins keep: provinces (and, later, other lookups); the counters behind record codes."""
