"""The app's routes, read from its URL map, for tests that must cover every route."""

SAMPLE_VALUES = {"int": 1, "default": "x", "string": "x", "path": "x"}


def _sample_url(rule):
    values = {arg: SAMPLE_VALUES.get(type(rule._converters[arg]).__name__.replace("Converter", "").lower(), 1)
              for arg in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def routes(app, method):
    """(endpoint, url, is_public) for every rule answering the method, with sample arguments."""
    found = []
    for rule in app.url_map.iter_rules():
        if method not in rule.methods or rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        view = app.view_functions[rule.endpoint]
        found.append((rule.endpoint, _sample_url(rule), getattr(view, "is_public", False)))
    return sorted(found)
