"""What a list without names may be filtered by: attributes many people share, never what singles one out.

A de-identified list filtered by a name, phone, ID number or code would turn it into a lookup from
that name to the person's code, sex, age band and province: it re-identifies them. So the
de-identified export takes only these filters, and refuses any other parameter rather than ignore it.
"""
FILTERS = ("province", "program", "category", "sex", "age_band", "status")
# Parameters that choose the list rather than filter it.
CHOICES = ("kind",)


def refused_parameters(args):
    """The names of the parameters (with a value) that a de-identified list does not accept, sorted."""
    return sorted({name for name, value in args.items(multi=True)
                   if name not in FILTERS + CHOICES and value.strip()})


def filters_only(args):
    """The de-identified filters among the parameters, blank ones left out (for a link to the list)."""
    return {name: args[name] for name in FILTERS if args.get(name, "").strip()}
