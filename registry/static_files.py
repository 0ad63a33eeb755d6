"""Files served by the app itself, so that nothing comes from the internet."""
from pathlib import Path

from flask import Blueprint, send_file

from registry.auth.guard import public
from registry.security_headers import ASSET_MAX_AGE

bp = Blueprint("files", __name__)

# A subset of Noto Sans Khmer (Khmer only, regular to bold), made by tools/subset_khmer_font.py.
KHMER_FONT = Path(__file__).resolve().parent.parent / "static" / "fonts" / "noto-sans-khmer.woff2"


@bp.get("/fonts/noto-sans-khmer.woff2")
@public
def khmer_font():
    """Noto Sans Khmer, so that Khmer renders on machines without a Khmer font."""
    return send_file(KHMER_FONT, mimetype="font/woff2", max_age=ASSET_MAX_AGE)
