"""The web glue every feature shares: scope, errors (JSON or a page), forms, routing, paging, headers."""
