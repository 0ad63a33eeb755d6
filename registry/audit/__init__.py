"""The append-only audit trail: who saw and changed what, when and from where."""
