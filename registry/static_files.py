"""Files served by the app from installed packages, so that nothing comes from the internet."""
import fontpkg_noto_sans_khmer
from flask import Blueprint, send_file

from registry.auth.guard import public

bp = Blueprint("files", __name__)

KHMER_FONT = next((fontpkg_noto_sans_khmer.ROOT / "files").glob("NotoSansKhmer*.ttf"))


@bp.get("/fonts/noto-sans-khmer.ttf")
@public
def khmer_font():
    """Noto Sans Khmer, so that Khmer renders on machines without a Khmer font."""
    return send_file(KHMER_FONT, mimetype="font/ttf", max_age=30 * 24 * 3600)
