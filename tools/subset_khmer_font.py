"""Regenerate static/fonts/noto-sans-khmer.woff2, the Khmer font the app serves, from Noto Sans Khmer.

The upstream font (pip package fontpkg-noto-sans-khmer, 360 KB of TrueType with a width axis and weights
100-900 and Latin glyphs) was preloaded on every page. Pages set Khmer only from regular to bold
weight, at the normal width, and take Latin from the system font, so this keeps:

- the normal width (wdth pinned at 100) and the weights 400-700 (still variable: one file for regular
  and bold, smaller than two static instances);
- the Khmer blocks, the characters Khmer text needs (zero-width space and joiners, the dotted circle
  that shows a lone vowel sign), space, digits and basic punctuation;
- every OpenType layout feature, since Khmer shaping (coeng subscripts, split vowels) depends on them;
- the name table whole, with its copyright and licence entries;

and writes WOFF2 (Brotli-compressed), the same bytes on every run. Development only: fontTools, brotli and
the font package come with requirements-dev.txt (`make install`); the app imports none of them. Run:

    python -m tools.subset_khmer_font [--source FONT.ttf]      # from the repository root

then commit static/fonts/noto-sans-khmer.woff2 (and static/fonts/OFL.txt, copied from the package).
"""
import argparse
import shutil
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

FONTS = Path(__file__).resolve().parents[1] / "static" / "fonts"
TARGET = FONTS / "noto-sans-khmer.woff2"
LICENCE = FONTS / "OFL.txt"

AXES = {"wdth": 100, "wght": (400, 700)}
UNICODES = [
    *range(0x1780, 0x1800),   # Khmer
    *range(0x19E0, 0x1A00),   # Khmer Symbols (lunar dates)
    *range(0x200B, 0x200E),   # zero-width space, non-joiner, joiner
    0x25CC,                   # dotted circle, the base shown under a lone vowel sign
    *range(0x0020, 0x0040),   # space, basic punctuation and digits
    0x00A0,                   # no-break space
    0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026,  # dashes, curly quotes, ellipsis
]


def source_font():
    """The variable TrueType font shipped by the fontpkg-noto-sans-khmer package."""
    import fontpkg_noto_sans_khmer

    return next((fontpkg_noto_sans_khmer.ROOT / "files").glob("NotoSansKhmer*.ttf"))


def subset_font(source, target=TARGET):
    """Write the WOFF2 subset of the font at source to target; return its size in bytes."""
    font = TTFont(source, recalcTimestamp=False)  # keep the source's date: the same bytes on every run
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    # Instanced after subsetting: fontTools' subsetter fails on a freshly instanced font's gvar table.
    font = instancer.instantiateVariableFont(font, AXES)
    font.flavor = "woff2"
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)
    return target.stat().st_size


def copy_licence(source, target=LICENCE):
    """Copy the font's OFL text, shipped next to the package, beside the subset."""
    shutil.copyfile(Path(source).parent.parent / "LICENSE", target)


def main(argv=None):
    """Regenerate the subset and its licence from the installed package, or from --source."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="the variable Noto Sans Khmer TTF (default: the package's)")
    args = parser.parse_args(argv)
    source = args.source or source_font()
    size = subset_font(source)
    if args.source is None:
        copy_licence(source)
    print(f"{TARGET.relative_to(FONTS.parents[1])}: {size:,} bytes (from {source.stat().st_size:,})")


if __name__ == "__main__":
    main()
