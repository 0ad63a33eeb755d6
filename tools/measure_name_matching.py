"""Measure duplicate-name matching on common Cambodian names (tools/name_pairs.tsv).

True pairs are two spellings of the same name; false pairs are two different names. For each
kind of comparison it prints how many true pairs name_match finds and how many false pairs it
wrongly matches. Run from the repository root:

    python -m tools.measure_name_matching [--misses] [--sweep]

--misses lists the true pairs missed and the false pairs matched; --sweep prints the figures
for other values of the fuzzy thresholds.
"""
import argparse
import itertools
from pathlib import Path

from registry.beneficiaries import names
from registry.beneficiaries.names import name_match

DATA = Path(__file__).with_name("name_pairs.tsv")
LATIN = {"latin_exact", "latin_similar"}
CROSS = {"cross_script"}


def load_names(path=DATA):
    """Rows of (kind, khmer, [latin spellings]) from the tab-separated file."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("kind\t") or not line.strip():
            continue
        kind, khmer, latin = line.split("\t")
        rows.append((kind, khmer, [s.strip() for s in latin.split(",")]))
    return rows


def person(given="", family="", given_km="", family_km=""):
    """A name dict as name_match takes it."""
    return {"given_name": given, "family_name": family,
            "given_name_km": given_km, "family_name_km": family_km}


def single_name_pairs(rows):
    """(latin true, latin false, cross true, cross false) pairs of one-field names."""
    latin_true = [(person(x), person(y)) for _, _, sp in rows for x, y in itertools.combinations(sp, 2)]
    latin_false = [(person(x), person(y)) for (_, _, sp1), (_, _, sp2) in itertools.combinations(rows, 2)
                   for x in sp1 for y in sp2]
    cross_true = [(person(given_km=km), person(x)) for _, km, sp in rows for x in sp]
    cross_false = [(person(given_km=km), person(x)) for _, km, _ in rows
                   for _, other, sp in rows if other != km for x in sp]
    return latin_true, latin_false, cross_true, cross_false


def typo_pairs(rows):
    """Latin spellings of 5 letters or more against one typo: a dropped or a swapped letter."""
    pairs = []
    for _, _, spellings in rows:
        for x in (s for s in spellings if len(s) >= 5 and " " not in s):
            pairs.append((person(x), person(x[:2] + x[3:])))
            pairs.append((person(x), person(x[:2] + x[3] + x[2] + x[4:])))
    return pairs


def full_name_pairs(rows):
    """Family + given names. True: other spellings with the fields swapped; false: same family, other given."""
    families = [r for r in rows if r[0] == "family"]
    givens = [r for r in rows if r[0] == "given"]
    latin_true, latin_false, cross_true, cross_false = [], [], [], []
    for (_, fam_km, fam), (_, giv_km, giv) in itertools.product(families, givens):
        if len(fam) > 1 or len(giv) > 1:
            latin_true.append((person(giv[0], fam[0]), person(fam[-1], giv[-1])))
        cross_true.append((person(given_km=giv_km, family_km=fam_km), person(giv[-1], fam[-1])))
    for (_, fam_km, fam) in families:
        for (_, km1, giv1), (_, km2, giv2) in itertools.combinations(givens, 2):
            latin_false.append((person(giv1[0], fam[0]), person(giv2[-1], fam[-1])))
            cross_false.append((person(given_km=km1, family_km=fam_km), person(giv2[0], fam[0])))
    return latin_true, latin_false, cross_true, cross_false


def count(pairs, reasons):
    """How many pairs name_match matches with one of the reasons, and the list of them."""
    hits = [(a, b) for a, b in pairs if name_match(a, b)[1] in reasons]
    return len(hits), hits


def describe(p):
    """A short text for a name dict."""
    return " / ".join(filter(None, (p["given_name"], p["family_name"],
                                    p["given_name_km"], p["family_name_km"])))


def report(title, pairs, show_misses):
    """Print found/total for true pairs and wrongly matched/total for false pairs."""
    print(title)
    for label, (true, false), reasons in (("Latin vs Latin", pairs[:2], LATIN),
                                          ("Khmer vs Latin", pairs[2:], CROSS)):
        found, hits = count(true, reasons)
        wrong, wrong_hits = count(false, reasons)
        print(f"  {label}: true pairs found {found}/{len(true)} ({100 * found / len(true):.0f}%), "
              f"false pairs matched {wrong}/{len(false)} ({100 * wrong / len(false):.1f}%)")
        if show_misses:
            for a, b in true:
                if (a, b) not in hits:
                    print(f"    missed: {describe(a)}  ~  {describe(b)}  {name_match(a, b)}")
            for a, b in wrong_hits[:40]:
                print(f"    wrong:  {describe(a)}  ~  {describe(b)}  {name_match(a, b)}")


def sweep(pair_sets, typos):
    """Print true found / false matched for other thresholds (the module constants, patched here)."""
    for setting, values, index, reasons in (("LATIN_FUZZY_MIN", (75, 80, 83, 85, 88), 0, LATIN),
                                            ("CROSS_SCRIPT_MIN", (75, 80, 83, 85, 88, 90), 2, CROSS)):
        saved = getattr(names, setting)
        for value in values:
            setattr(names, setting, value)
            figures = []
            for pairs in pair_sets:
                true, false = pairs[index], pairs[index + 1]
                figures.append(f"{count(true, reasons)[0]}/{len(true)} found, "
                               f"{count(false, reasons)[0]}/{len(false)} wrong")
            typo = f"; typos {count(typos, LATIN)[0]}/{len(typos)}" if reasons is LATIN else ""
            print(f"  {setting}={value}: one field {figures[0]}; family + given {figures[1]}{typo}")
        setattr(names, setting, saved)


def parse_args(argv=None):
    """The command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the true pairs missed and the false pairs matched")
    parser.add_argument("--sweep", action="store_true", help="the figures for other values of the fuzzy thresholds")
    return parser.parse_args(argv)


def main(argv=None):
    """Load the names, build the pairs and print the figures."""
    args = parse_args(argv)
    rows = load_names()
    show_misses = args.misses
    print(f"{len(rows)} names, {sum(len(r[2]) for r in rows)} Latin spellings ({DATA.name})")
    single, full = single_name_pairs(rows), full_name_pairs(rows)
    report("One name field:", single, show_misses)
    typos = typo_pairs(rows)
    print(f"  Latin vs the same with one typo: found {count(typos, LATIN)[0]}/{len(typos)}")
    report("Family + given name (true pairs with fields swapped):", full, show_misses)
    if args.sweep:
        print("Threshold sweep:")
        sweep((single, full), typos)


if __name__ == "__main__":
    main()
