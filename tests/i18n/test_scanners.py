"""The scanners behind test_marked find what they should, and only that."""
import textwrap

from tests.i18n.python_text import untranslated_strings
from tests.i18n.template_text import untranslated_text


def texts(source):
    return [text for _line, _where, text in untranslated_text(source)]


def test_template_scanner_reports_bare_text_and_visible_attributes():
    source = textwrap.dedent("""\
        <h1>{{ _("Participants") }}</h1>
        <p>Save {{ count }} rows</p>
        <input type="search" placeholder="Search" aria-label="{{ _('Search') }}">
        <input type="submit" value="Send"><input type="hidden" name="next" value="home">
        <img src="x.png" alt="Logo"><a href="#" title="Open">{{ _("Open") }}</a>
        """)
    assert texts(source) == ["Save … rows", "Search", "Send", "Logo", "Open"]


def test_template_scanner_reports_line_numbers_of_the_template():
    source = '{{ _("a") }}\n{% if x %}\n  {{ y\n  }}\n  <b>Hello</b>\n{% trans %}two\nlines{% endtrans %}<i>Bye</i>'
    assert untranslated_text(source) == [(5, "text", "Hello"), (7, "text", "Bye")]


def test_template_scanner_ignores_expressions_trans_blocks_scripts_comments_and_symbols():
    source = textwrap.dedent("""\
        {# a comment with words #}
        <p>{% trans n=3 %}{{ n }} people{% endtrans %} · {{ name }} – {{ "%.1f" % rate }} %</p>
        <script>const words = "not for people";</script><style>p::after { content: "x"; }</style>
        <!-- an HTML comment -->
        <div class="btn btn-primary" data-bs-toggle="collapse" id="nav-menu">→ ✓ 12 · ៛</div>
        """)
    assert texts(source) == []


def test_python_scanner_reports_messages_labels_choices_and_errors(tmp_path):
    module = tmp_path / "forms.py"
    module.write_text(textwrap.dedent("""\
        from flask import abort, flash
        from flask_babel import gettext as _, lazy_gettext as _l
        from wtforms import SelectField, StringField, ValidationError
        from wtforms.validators import Length

        class F:
            name = StringField("Name", validators=[Length(max=5, message="Too long")])
            ok = StringField(_l("Given name"), description=_l("As written on the ID card."))
            sex = SelectField(_l("Sex"), choices=[("f", _l("Female")), ("m", "Male")])
            code = SelectField(_l("Code"), choices=[("a", "a")])

        LABELS = {"one": _l("One"), "two": "Two", "key": "snake_case_key", "cur": "USD"}

        def view(n):
            flash(f"Saved {n} rows", "success")
            flash(_("Saved %(n)d rows", n=n), "success")
            flash(str(n), "danger")
            abort(404, description="No such record")
            raise ValidationError("Bad value")

        class TrainingError(ValueError):
            pass

        BY = {"sex": "Sex", "code": "snake_case"}
        by_label = _(BY["sex"])

        def service():
            raise TrainingError("The cohort is full.")
            raise RuntimeError("not shown: a programming error")
        """))
    found = [(line, why) for line, why, _code in untranslated_strings(module)]
    assert found == [(7, "form field label"), (7, "message="), (9, "choice label"),
                     (12, "untranslated beside translated"), (15, "flash() message"), (18, "abort() description"),
                     (19, "ValidationError() message"), (24, "translated later as _(BY[...]) but not marked with N_()"),
                     (28, "TrainingError message")]
    # Outside the modules whose errors reach pages, a raised message may stay English; the rest may not.
    quiet = untranslated_strings(module, errors_reach_users=False)
    assert [line for line, *_rest in quiet] == [7, 7, 9, 12, 15, 18, 19, 24]
