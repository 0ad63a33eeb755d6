"""Lone surrogates (U+D800 to U+DFFF): code points that are not text, which UTF-8 cannot encode.

JSON lets a client send one as an escape ("\\ud800"), and Python's json module reads it as it is.
Left alone, it reaches the database driver, which cannot encode it: a 500 on both databases.
Forms and query strings cannot carry one: Werkzeug decodes their bytes as UTF-8, replacing what is not.
"""
import re

_SURROGATE = re.compile("[\ud800-\udfff]")


def _printable(name):
    """A field name with its surrogates written as \\uXXXX escapes, so that an error message can show it."""
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", name)


def surrogate_path(value):
    """Where parsed JSON first holds a lone surrogate, as the API names fields, or None.

    A value is named by its path ("given_name", "marks[3].note"); a key holding one, by its own path.
    The walk uses a stack, not recursion: JSON may nest as deep as the parser allows.
    """
    stack = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return _printable(path) or "body"
        elif isinstance(item, dict):
            children = []
            for key, child in item.items():
                name = f"{path}.{key}" if path else str(key)
                if _SURROGATE.search(str(key)):
                    return _printable(name)
                children.append((name, child))
            stack.extend(reversed(children))  # the first field is looked at first
        elif isinstance(item, list):
            stack.extend(reversed([(f"{path}[{index}]", child) for index, child in enumerate(item)]))
    return None
