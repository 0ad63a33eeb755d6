"""User accounts, their roles and their province scope."""
import secrets

from flask_login import UserMixin
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField

from registry.db import BaseModel
from registry.reference.models import Province
from registry.timeutil import utcnow

ADMIN, OFFICER, TRAINER, MANAGER = "admin", "officer", "trainer", "manager"
ROLES = (ADMIN, OFFICER, TRAINER, MANAGER)


def new_session_token():
    """Return a fresh random token (the legacy app_user.session_token column)."""
    return secrets.token_urlsafe(32)


class User(UserMixin, BaseModel):
    """A person who signs in: an admin, officer, trainer or manager."""

    username = CharField(max_length=64, unique=True)
    full_name = CharField(max_length=200)
    role = CharField(max_length=16, choices=[(r, r) for r in ROLES])
    active = BooleanField(default=True)
    language = CharField(max_length=8, default="en")
    all_provinces = BooleanField(default=False)
    password_hash = CharField(max_length=255)
    # No longer names sessions: they are rows of user_session (registry/auth/page_sessions.py). The column
    # stays because it is NOT NULL and unique; each account still gets a random value.
    session_token = CharField(max_length=64, unique=True, default=new_session_token)
    created_at = DateTimeField(default=utcnow)
    last_login_at = DateTimeField(null=True)
    # Set when an admin chose the password (a new account, a reset): the user must choose their own.
    must_change_password = BooleanField(default=False)

    class Meta:
        table_name = "app_user"  # "user" is reserved in PostgreSQL

    # The page session this object was loaded for, and its key (set by sign-in and by the user loader).
    page_session = None
    session_key = None

    @property
    def is_active(self):
        """Deactivated users cannot sign in and lose their open sessions."""
        return self.active

    def get_id(self):
        """flask-login keeps this in the cookie: the key of the page session, not the permanent id."""
        return self.session_key

    def province_codes(self):
        """The codes of the provinces in scope, or None when the user sees all provinces."""
        if self.all_provinces:
            return None
        if not hasattr(self, "_province_codes"):
            self._province_codes = frozenset(
                up.province_id for up in UserProvince.select().where(UserProvince.user == self)
            )
        return self._province_codes

    @classmethod
    def with_scopes(cls, users):
        """The users with their province scopes loaded in one query (for lists of accounts)."""
        users = list(users)
        codes = {}
        for user_id, code in (UserProvince.select(UserProvince.user, UserProvince.province)
                              .where(UserProvince.user.in_([u.id for u in users] or [0])).tuples()):
            codes.setdefault(user_id, set()).add(code)
        for user in users:
            user._province_codes = frozenset(codes.get(user.id, ()))
        return users

    def in_scope(self, province_code):
        """Tell whether a record in this province is within the user's scope."""
        codes = self.province_codes()
        return codes is None or province_code in codes

    def __str__(self):
        return self.username


class UserProvince(BaseModel):
    """One province of a user's scope (users with all_provinces have none)."""

    user = ForeignKeyField(User, backref="scope", on_delete="CASCADE")
    province = ForeignKeyField(Province, on_delete="RESTRICT")

    class Meta:
        indexes = ((("user", "province"), True),)
