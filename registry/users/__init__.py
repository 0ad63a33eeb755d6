"""Account administration: admins create, edit, deactivate users and reset passwords."""
