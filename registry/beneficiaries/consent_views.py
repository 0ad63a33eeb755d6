"""The consent page of a participant (beneficiaries.consent): see it, record it given, withdraw it.

Its route joins the participants' blueprint (officers and admins, the person's provinces), added here
so that the page's forms and rules stay in one small module; registry/__init__.py imports it.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.beneficiaries import queries
from registry.beneficiaries.consent import SCOPES, ConsentError, consent_history, record_consent, withdraw_consent
from registry.beneficiaries.consent_forms import ConsentForm, WithdrawalForm
from registry.beneficiaries.views import bp

# Where a refusal of the services shows on each form: the field it names.
FIELDS = {"give": {"scopes": "consent_data_use", "on": "consent_on"},
          "withdraw": {"on": "withdrawn_on", "reason": "reason"}}


@bp.route("/<code>/consent", methods=["GET", "POST"])
def consent(code):
    """A person's consent as recorded, with a form to record it given and one to withdraw it; changes are audited."""
    beneficiary = queries.get_beneficiary_or_404(code)
    if beneficiary.status == "merged":
        return redirect(url_for("beneficiaries.consent", code=beneficiary.merged_into.code))
    # The form posted reads the request, even an empty one (a missing date is an error, not today); the other
    # shows its defaults. A withdrawal is told apart by its button.
    posted = request.form if request.method == "POST" else None
    withdrawing = posted is not None and "withdraw" in posted
    current = {name: getattr(beneficiary, name) for name in SCOPES.values()}
    give = ConsentForm(formdata=None if withdrawing else posted, data=current)
    withdraw = WithdrawalForm(formdata=posted if withdrawing else None)
    form = withdraw if withdrawing else give
    if form.validate_on_submit():
        try:
            _save(beneficiary, form, withdrawing)
        except ConsentError as error:
            _show(error, form, FIELDS["withdraw" if withdrawing else "give"])
        else:
            return redirect(url_for("beneficiaries.profile", code=beneficiary.code))
    return render_template("beneficiaries/consent.html", b=beneficiary, give=give, withdraw=withdraw,
                           history=consent_history(beneficiary))


def _save(beneficiary, form, withdrawing):
    """Call the service the form asks for, and say what was done."""
    user = current_user._get_current_object()
    if withdrawing:
        withdraw_consent(beneficiary, form.withdrawn_on.data, user, form.reason.data)
        flash(_("The consent of %(code)s is withdrawn.", code=beneficiary.code), "success")
    else:
        record_consent(beneficiary, form.scopes(), form.consent_on.data, user)
        flash(_("The consent of %(code)s is recorded.", code=beneficiary.code), "success")


def _show(error, form, fields):
    """A refusal under the field it is about, or above the forms when it is about the record."""
    if error.field in fields:
        form[fields[error.field]].errors.append(str(error))
    else:
        flash(str(error), "danger")
