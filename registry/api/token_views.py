"""A user's API tokens on their account: create one (shown once), revoke one."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from registry.api.tokens import ApiToken, TokenError, create_token, revoke_token
from registry.web.forms import ConfirmForm, FlaskForm

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens")


class TokenForm(FlaskForm):
    """A new token's name."""

    name = StringField(_l("Name (the tool that will use it)"), validators=[DataRequired(), Length(max=100)])
    submit = SubmitField(_l("Create a token"))


@bp.route("/", methods=["GET", "POST"])
def index():
    """The user's live tokens, and a form to create one; a new token is shown on this answer only."""
    user = current_user._get_current_object()
    form = TokenForm()
    token = None
    if form.validate_on_submit():
        try:
            token, _record = create_token(user, form.name.data, actor=user)
        except TokenError as error:
            form.name.errors.append(str(error))
        else:
            form = TokenForm(formdata=None)
    return render_template("api/tokens.html", form=form, token=token, tokens=ApiToken.live_of(user),
                           confirm=ConfirmForm())


@bp.post("/<int:token_id>/revoke")
def revoke(token_id):
    """Revoke one of the user's own tokens."""
    record = ApiToken.get_or_none((ApiToken.id == token_id) & (ApiToken.user == current_user.id)
                                  & ApiToken.revoked_at.is_null())
    if record is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        revoke_token(record, current_user._get_current_object())
        flash(_("The token %(name)s is revoked.", name=record.name), "success")
    return redirect(url_for("tokens.index"))
