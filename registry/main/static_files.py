"""Files served by the app itself, so that nothing comes from the internet."""
from pathlib import Path

from flask import Blueprint, current_app, send_file

from registry.auth.guard import public
from registry.web.security_headers import ASSET_MAX_AGE

bp = Blueprint("files", __name__)

# A subset of Noto Sans Khmer (Khmer only, regular to bold), made by tools/subset_khmer_font.py.
KHMER_FONT = Path("fonts", "noto-sans-khmer.woff2")  # under the app's static folder


@bp.get("/fonts/noto-sans-khmer.woff2")
@public
def khmer_font():
    """Noto Sans Khmer, so that Khmer renders on machines without a Khmer font."""
    return send_file(Path(current_app.static_folder, KHMER_FONT), mimetype="font/woff2", max_age=ASSET_MAX_AGE)
