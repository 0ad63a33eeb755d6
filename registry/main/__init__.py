"""The home page, the health check, the files the app serves itself, and the app-wide page furniture."""
