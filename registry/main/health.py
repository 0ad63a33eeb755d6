"""GET /healthz: is this app server up and can it reach its database? For load balancers and monitors.

Public, as a load balancer does not sign in, and it tells nothing about anyone: "ok" or 503.
"""
from flask import Blueprint
from peewee import DatabaseError

from registry.auth.guard import public
from registry.db import database

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz():
    """200 "ok" when the database answers a trivial query, else 503 (500 if no connection opens at all)."""
    try:
        database.execute_sql("SELECT 1").fetchone()
    except DatabaseError:
        return "database unavailable\n", 503, {"Content-Type": "text/plain; charset=utf-8"}
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}
