"""Find the sentences in Python code that reach a user but no translation function wraps.

Read with `ast`, not run. A piece of "bare text" is a string literal holding a letter (or an f-string, a
`%` or a `.format()` built on one). It is reported where it reaches people:
- the message of flash(), ValidationError(), abort(description=...);
- a WTForms field's label (its first argument) and the label=, description=, message= and
  render_kw placeholder/title keywords;
- a choice label: the second item of a (value, label) pair given as choices=;
- a literal that sits in the same list, tuple or dict as translated ones (a label someone forgot);
- the texts of a module-level table translated later with _(TABLE[key]) but not marked with N_();
- the message of an exception raised with a sentence (words and spaces) in the modules whose errors
  are shown on pages (every module but those listed in DEVELOPER_ONLY).
"""
import ast
import re
from pathlib import Path

TRANSLATORS = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "pgettext", "npgettext"}
# N_ only marks a string for extraction: the code translates it later with _(), so it counts as marked
# in a container (HEADERS = {"code": N_("Code")}) but not as a message handed to flash().
MARKERS = TRANSLATORS | {"N_"}
LETTER = re.compile(r"[^\W\d_]")
SENTENCE = re.compile(r"[^\W\d_]{2,}\s+[^\W\d_]")  # at least two words: not a code, key or format
LABEL_KEYWORDS = {"label", "description", "message"}
IDENTIFIER = re.compile(r"[a-z0-9_.+-]+|[A-Z0-9_]+")  # a key, an endpoint or a code (USD), not words
# Exceptions whose message goes to a log, a command line or a developer, never to a page, unless raised
# inside a form (WTForms shows a ValueError from a field as the field's error).
INTERNAL_EXCEPTIONS = {"ValueError", "RuntimeError", "TypeError", "KeyError", "LookupError", "AssertionError",
                       "NotImplementedError", "ClickException", "BadParameter", "UsageError"}
SHOWN_RENDER_KW = {"placeholder", "title", "aria-label"}


def _callee(node):
    """The called name: `flash` for flash(...) and for helpers.flash(...)."""
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def bare_text(node):
    """True when the expression is text typed in the code rather than passed through a translator."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(LETTER.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(bare_text(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return bare_text(node.left) or (isinstance(node.op, ast.Add) and bare_text(node.right))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return bare_text(node.func.value)
    if isinstance(node, ast.IfExp):
        return bare_text(node.body) or bare_text(node.orelse)
    return False


def _identifier(node):
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(IDENTIFIER.fullmatch(node.value))


def _marked(node):
    return isinstance(node, ast.Call) and _callee(node) in MARKERS


class _Finder(ast.NodeVisitor):
    """Walks a module and collects (line, why, code) of the bare text that reaches users."""

    def __init__(self, uses_wtforms, errors_reach_users, tables):
        self.found = []
        self._uses_wtforms = uses_wtforms
        self._errors_reach_users = errors_reach_users
        self._tables = tables

    def _check(self, node, why):
        if node is not None and bare_text(node):
            self.found.append((node.lineno, why, ast.unparse(node)[:80]))

    def visit_Call(self, node):
        name = _callee(node)
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        if name in ("flash", "ValidationError", "StopValidation") and node.args:
            self._check(node.args[0], f"{name}() message")
        elif name in TRANSLATORS and node.args and isinstance(node.args[0], ast.Subscript):
            self._check_table_lookup(node.args[0])
        elif name == "abort":
            self._check(keywords.get("description", node.args[1] if len(node.args) > 1 else None),
                        "abort() description")
        # The API's own Field(...) documents the API for programmers, in English.
        elif self._uses_wtforms and name != "Field":
            self._check_form_call(name, node, keywords)
        self.generic_visit(node)

    def _check_table_lookup(self, lookup):
        """_(LABELS[key]): the table's texts must be marked (N_), or extraction never sees them."""
        table = self._tables.get(lookup.value.id) if isinstance(lookup.value, ast.Name) else None
        for value in table.values if table is not None else ():
            if not _identifier(value):
                self._check(value, f"translated later as _({lookup.value.id}[...]) but not marked with N_()")

    def _check_form_call(self, name, node, keywords):
        """A WTForms field or validator: its label, description, message, placeholder and choices."""
        if name.endswith("Field") and node.args:
            self._check(node.args[0], "form field label")
        for key in sorted(LABEL_KEYWORDS & set(keywords)):
            self._check(keywords[key], f"{key}=")
        render_kw = keywords.get("render_kw")
        if isinstance(render_kw, ast.Dict):
            for key, value in zip(render_kw.keys, render_kw.values):
                if isinstance(key, ast.Constant) and key.value in SHOWN_RENDER_KW:
                    self._check(value, f"render_kw {key.value}")
        choices = keywords.get("choices")
        for pair in choices.elts if isinstance(choices, (ast.List, ast.Tuple)) else ():
            # ("2026", "2026"): a value shown as itself is a number or a code, not words.
            if isinstance(pair, ast.Tuple) and len(pair.elts) == 2 and ast.dump(pair.elts[0]) != ast.dump(pair.elts[1]):
                self._check(pair.elts[1], "choice label")

    def _mixed(self, items):
        """Report the bare items of a container whose other items are translated."""
        if any(_marked(i) for i in items if i is not None):
            for item in items:
                if not _identifier(item):
                    self._check(item, "untranslated beside translated")

    def visit_Dict(self, node):
        self._mixed(node.values)
        self.generic_visit(node)

    def visit_List(self, node):
        self._mixed(node.elts)
        self.generic_visit(node)

    visit_Tuple = visit_List

    def visit_Raise(self, node):
        exc = node.exc
        name = _callee(exc) if isinstance(exc, ast.Call) else ""
        # A form's ValueError is shown as the field's error; ValidationError is checked by visit_Call.
        shown = name not in INTERNAL_EXCEPTIONS or (self._uses_wtforms and name == "ValueError")
        if self._errors_reach_users and shown and name not in ("", "ValidationError", "StopValidation") and exc.args:
            message = exc.args[0]
            text = message.value if isinstance(message, ast.Constant) else ""
            if isinstance(message, ast.JoinedStr):
                text = " ".join(p.value for p in message.values if isinstance(p, ast.Constant))
            if isinstance(text, str) and SENTENCE.search(text):
                self.found.append((message.lineno, f"{name} message", ast.unparse(message)[:80]))
        self.generic_visit(node)


def untranslated_strings(path, errors_reach_users=True):
    """[(line, why, code)] of the bare text in a Python file that reaches users."""
    source = Path(path).read_text(encoding="utf-8")
    tree = ast.parse(source)
    uses_wtforms = bool(re.search(r"^\s*(from|import) (wtforms|flask_wtf)", source, re.MULTILINE))
    # Module-level tables of texts, {name: dict literal}, for the _(TABLE[key]) rule.
    tables = {target.id: node.value for node in tree.body if isinstance(node, ast.Assign)
              and isinstance(node.value, ast.Dict) for target in node.targets if isinstance(target, ast.Name)}
    finder = _Finder(uses_wtforms, errors_reach_users, tables)
    finder.visit(tree)
    return sorted(finder.found)
