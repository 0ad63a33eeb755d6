"""Small-cell masking for reports that leave the organisation: a cell about 1 to N-1 people is hidden."""


def people_in(row, kind):
    """The numbers of people a disaggregation row shows (an average's numerator is money, not people)."""
    counts = [row["denominator"]] if row.get("denominator") is not None else []
    if kind != "average":
        counts.append(row["numerator"])
    return counts


def mask_small_cells(report, below):
    """Mark (and empty) the disaggregated cells that show between 1 and below-1 people; 0 turns masking off."""
    if not below:
        return report
    for indicator in report["indicators"]:
        for row in indicator["disaggregations"]:
            if any(0 < people < below for people in people_in(row, indicator["kind"])):
                row.update(masked=True, numerator=None, denominator=None, value=None)
    return report
