"""Reading a form page the app answered: which fields it marks as wrong."""
import html
import re

_CONTROL_TAG = re.compile(r"<(?:input|select|textarea)\b[^>]*>")
_ATTRIBUTE = re.compile(r'\b(id|class)="([^"]*)"')


def invalid_fields(page):
    """The ids of the inputs a rendered form marks as wrong (Bootstrap's is-invalid)."""
    marked = set()
    for tag in _CONTROL_TAG.findall(page):
        attributes = dict(_ATTRIBUTE.findall(tag))
        if "is-invalid" in attributes.get("class", "").split():
            marked.add(html.unescape(attributes.get("id", "")))
    return marked


def error_messages(page):
    """The error messages shown next to fields."""
    return [html.unescape(m) for m in re.findall(r'<div class="invalid-feedback d-block"[^>]*>(.*?)</div>', page, re.S)]


def explained(marked, sent, depends):
    """Tell whether each field marked wrong was sent, or depends on a field that was."""
    return all(name in sent or depends.get(name, set()) & set(sent) for name in marked)


def refused_before_the_form(response, sent):
    """A 400 page for a request holding NUL (refused app-wide, before any form): tell whether it is one."""
    if response.status_code != 400:
        return False
    assert any("\x00" in value for value in sent.values()), "a 400 for a request without NUL"
    assert re.search(r"<h1[^>]*>.+</h1>", response.get_data(as_text=True)), "a 400 without a page that says why"
    return True
