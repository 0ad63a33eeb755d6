"""The home page, the health check and the app-wide page furniture."""
