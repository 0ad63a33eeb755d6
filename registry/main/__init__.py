"""The home page, the error pages and the app-wide page furniture."""
