"""Draw the app's icons (a white register card on the app's blue) as PNGs, with nothing but the standard library.

    python -m tools.draw_app_icons      # writes static/icons/icon-192.png, icon-512.png, icon-maskable-512.png

"any" icons have rounded corners on a transparent ground; the maskable one fills the square and keeps its
drawing inside the central 80% circle that every launcher's mask leaves visible.
"""
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
BLUE = (13, 110, 253)  # Bootstrap's primary, the navbar's colour
WHITE = (255, 255, 255)
SAMPLES = 4  # per side, for smooth edges


def _in_rounded_rect(x, y, left, top, right, bottom, radius):
    """Tell whether a point lies inside a rectangle with rounded corners."""
    if not (left <= x <= right and top <= y <= bottom):
        return False
    cx = min(max(x, left + radius), right - radius)
    cy = min(max(y, top + radius), bottom - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def _colour_at(x, y, maskable):
    """(r, g, b, a) of a point of the unit square."""
    if not maskable and not _in_rounded_rect(x, y, 0, 0, 1, 1, 0.18):
        return (0, 0, 0, 0)
    scale = 0.62 if maskable else 0.78  # the maskable drawing stays inside the safe circle
    u, v = 0.5 + (x - 0.5) / scale, 0.5 + (y - 0.5) / scale
    if _in_rounded_rect(u, v, 0.22, 0.14, 0.78, 0.86, 0.06):
        for row in (0.34, 0.50, 0.66):  # three lines of a register, a dot before each
            if _in_rounded_rect(u, v, 0.31, row - 0.035, 0.38, row + 0.035, 0.035):
                return (*BLUE, 255)
            if _in_rounded_rect(u, v, 0.44, row - 0.025, 0.69, row + 0.025, 0.025):
                return (*BLUE, 255)
        return (*WHITE, 255)
    return (*BLUE, 255)


def draw(size, maskable=False):
    """RGBA rows of a size x size icon, each point averaged over SAMPLES x SAMPLES sub-points."""
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            total = [0, 0, 0, 0]
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    r, g, b, a = _colour_at((px + (sx + 0.5) / SAMPLES) / size,
                                            (py + (sy + 0.5) / SAMPLES) / size, maskable)
                    total = [total[0] + r * a, total[1] + g * a, total[2] + b * a, total[3] + a]
            alpha = total[3]
            colour = [round(c / alpha) if alpha else 0 for c in total[:3]]
            row += bytes((*colour, round(alpha / SAMPLES ** 2)))
        rows.append(bytes(row))
    return rows


def png(rows):
    """The bytes of an 8-bit RGBA PNG."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    height, width = len(rows), len(rows[0]) // 4
    raw = b"".join(b"\x00" + row for row in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main():
    """Write the three icons."""
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in (("icon-192.png", 192, False), ("icon-512.png", 512, False),
                                 ("icon-maskable-512.png", 512, True)):
        (OUT / name).write_bytes(png(draw(size, maskable)))
        print(OUT / name)


if __name__ == "__main__":
    main()
