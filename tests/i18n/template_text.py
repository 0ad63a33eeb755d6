"""Find the words in a Jinja template that a user reads but no translation function wraps.

Jinja's own lexer splits the source into template data and {{ }} / {% %} / {# #} parts. The data is
put back together with every expression replaced by a letterless marker (and every {% trans %} block's
text too), then read by an HTML parser: any text node or user-visible attribute that still holds a
letter was typed straight into the template.
"""
import re
from html.parser import HTMLParser

from jinja2 import Environment

MARK = "\ue000"  # stands for an expression's output: a private-use character, not a letter
LETTER = re.compile(r"[^\W\d_]")
# Attributes a user (or a screen reader) reads out.
VISIBLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "aria-description", "aria-roledescription"}
BUTTON_INPUT_TYPES = {"submit", "button", "reset"}
SKIPPED_ELEMENTS = {"script", "style"}

_ENV = Environment(extensions=["jinja2.ext.i18n", "jinja2.ext.do", "jinja2.ext.loopcontrols"])


def _data_only(source):
    """The template's HTML with expressions, tags' output and {% trans %} text replaced by MARK."""
    out = []
    line = 1
    in_trans = False
    tag_name_next = False
    for lineno, kind, value in _ENV.lex(source):
        if lineno > line:  # keep the HTML parser's line numbers equal to the template's
            out.append("\n" * (lineno - line))
            line = lineno
        if kind == "data":
            out.append(MARK + "\n" * value.count("\n") if in_trans else value)
            line += value.count("\n")
        elif kind == "block_begin":
            tag_name_next = True
        elif kind == "variable_end":
            out.append(MARK)
        elif tag_name_next and kind != "whitespace":  # the first word of a {% %} tag names it
            tag_name_next = False
            if (kind, value) == ("name", "trans"):
                in_trans = True
            elif (kind, value) == ("name", "endtrans"):
                in_trans = False
    return "".join(out)


class _Finder(HTMLParser):
    """Collects (line, what, text) for every letter-bearing text or visible attribute."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._skipping = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_ELEMENTS:
            self._skipping.append(tag)
        attributes = dict(attrs)
        for name, value in attrs:
            shown = name in VISIBLE_ATTRIBUTES or (
                name == "value" and (tag == "button" or attributes.get("type") in BUTTON_INPUT_TYPES))
            if shown and value and LETTER.search(value):
                self.found.append((self.getpos()[0], f"<{tag} {name}>", value.strip()))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in SKIPPED_ELEMENTS:
            self._skipping.pop()

    def handle_endtag(self, tag):
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data):
        if not self._skipping and LETTER.search(data):
            # Report from the first letter, so the line number points at the words themselves.
            self.found.append((self.getpos()[0] + data[:LETTER.search(data).start()].count("\n"), "text",
                               " ".join(data.split())))


def untranslated_text(source):
    """[(line, where, text)] of the words in a template's source that no translation call wraps."""
    finder = _Finder()
    finder.feed(_data_only(source))
    finder.close()
    return [(line, where, text.replace(MARK, "…")) for line, where, text in finder.found]
