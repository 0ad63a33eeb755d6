"""Merging two records of the same person: choose, compare side by side, merge, undo."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from playhouse.flask_utils import get_object_or_404

from registry.auth.guard import guard_blueprint
from registry.auth.models import ADMIN, OFFICER
from registry.beneficiaries import merging, queries, services
from registry.beneficiaries.duplicates import find_duplicates
from registry.beneficiaries.models import BeneficiaryMerge
from registry.beneficiaries.services import BeneficiaryError, editable_values
from registry.web.forms import ConfirmForm

bp = guard_blueprint(Blueprint("beneficiary_merges", __name__, url_prefix="/beneficiaries"), ADMIN, OFFICER)


@bp.get("/<code>/merge")
def choose(code):
    """Pick the other record (suggested duplicates listed), then compare the two side by side."""
    beneficiary = queries.get_beneficiary_or_404(code)
    if beneficiary.status == "merged":
        return queries.survivor_redirect(beneficiary)
    other_code = request.args.get("other", "").strip().upper()
    if not other_code:
        suggestions = [m for m in find_duplicates(editable_values(beneficiary), exclude_ids=[beneficiary.id])
                       if current_user.in_scope(m.beneficiary.province_id)]
        services.record_shown([beneficiary] + [m.beneficiary for m in suggestions],
                              current_user._get_current_object(), "merge")
        return render_template("beneficiaries/merge_choose.html", b=beneficiary, suggestions=suggestions)
    other = queries.get_beneficiary_or_404(other_code)
    if other.id == beneficiary.id or other.status == "merged":
        flash(_("Choose another active record to merge with."), "danger")
        return redirect(url_for("beneficiary_merges.choose", code=beneficiary.code))
    for shown, beside in ((beneficiary, other), (other, beneficiary)):  # both whole records, side by side
        services.record_view(shown, current_user._get_current_object(), via="merge", beside=beside.code)
    return render_template("beneficiaries/merge_compare.html", a=beneficiary, b=other,
                           rows=merging.merge_preview(beneficiary, other), form=ConfirmForm())


@bp.post("/<code>/merge")
def merge(code):
    """Merge: the record chosen as survivor keeps its code and takes the other's rows."""
    first = queries.get_beneficiary_or_404(code)
    second = queries.get_beneficiary_or_404(request.form.get("other", ""))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    survivor, duplicate = (second, first) if request.form.get("survivor") == second.code else (first, second)
    try:
        done = merging.merge_beneficiaries(survivor, duplicate, current_user._get_current_object())
    except BeneficiaryError as error:
        flash(str(error), "danger")
        return redirect(url_for("beneficiaries.profile", code=first.code))
    flash(_("%(duplicate)s is merged into %(survivor)s.", duplicate=duplicate.code, survivor=survivor.code), "success")
    for conflict in merging.conflict_messages(done):
        flash(conflict, "warning")
    return redirect(url_for("beneficiaries.profile", code=survivor.code))


@bp.post("/merges/<int:merge_id>/undo")
def undo(merge_id):
    """Undo a merge; both records are as they were before."""
    merge = get_object_or_404(BeneficiaryMerge, BeneficiaryMerge.id == merge_id)
    for side in (merge.survivor, merge.duplicate):
        if not current_user.in_scope(side.province_id):
            abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            merging.undo_merge(merge, current_user._get_current_object())
        except BeneficiaryError as error:
            flash(str(error), "danger")
        else:
            flash(_("The merge of %(duplicate)s into %(survivor)s is undone.", duplicate=merge.duplicate.code,
                    survivor=merge.survivor.code), "success")
    return redirect(url_for("beneficiaries.profile", code=merge.duplicate.code))
