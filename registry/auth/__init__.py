"""Signing in and out, passwords, roles and the role-and-scope guard."""
