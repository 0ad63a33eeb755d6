"""The one-way dependencies of docs/architecture.md, read from the imports of registry/ with ast.

Nothing is imported here: the modules are parsed as text, so a broken import cannot hide a wrong one.
"""
import ast
from pathlib import Path

REGISTRY = Path(__file__).resolve().parent.parent / "registry"
# The root modules every layer may use, and the reference data (provinces, counters) beside them.
BASE = {"registry.config", "registry.db", "registry.extensions", "registry.i18n", "registry.sql", "registry.timeutil"}
BASE_PACKAGES = ("registry.reference",)
GLUE = "registry.web"
API = "registry.api"
FACTORY = "registry"  # registry/__init__.py wires every layer together


def _modules():
    """{dotted name: path} of every module of the registry but its frozen migrations."""
    found = {}
    for path in sorted(REGISTRY.rglob("*.py")):
        parts = path.relative_to(REGISTRY.parent).with_suffix("").parts
        if "migrations" in parts:
            continue
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(path):
    """The registry modules a file imports, at any depth: `from registry.a import b` gives registry.a and .a.b."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in names if name == "registry" or name.startswith("registry.")}


def _within(name, package):
    return name == package or name.startswith(package + ".")


def _feature(name):
    """The top package of a module under registry/ (registry.beneficiaries.views -> beneficiaries), or None."""
    parts = name.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (REGISTRY / parts[1]).is_dir()) else None


def _is_views(name):
    leaf = name.rsplit(".", 1)[-1]
    return leaf == "views" or leaf.endswith("_views")


def _violations(rule):
    return sorted(f"{module} imports {imported}" for module, path in _modules().items() if module != FACTORY
                  for imported in _imports(path) if rule(module, imported))


def test_nothing_below_the_api_imports_it():
    """Only the API's own modules (and the factory) import registry.api: errors and JSON live in registry.web."""
    assert _violations(lambda module, imported: not _within(module, API) and _within(imported, API)) == []


def test_no_feature_imports_another_features_views():
    """What two features share lives in registry.web or in a domain module, never in a views module."""
    assert _violations(lambda module, imported: _is_views(imported) and _feature(imported) is not None
                       and _feature(imported) != _feature(module)) == []


def test_the_web_glue_imports_no_feature():
    """registry.web sits under every feature: it may use only itself and the base modules."""
    assert _violations(lambda module, imported: _within(module, GLUE) and not (
        _within(imported, GLUE) or imported in BASE or imported == "registry"
        or any(_within(imported, package) for package in BASE_PACKAGES))) == []


def test_the_audit_log_imports_no_participant():
    """registry.audit is written to by the features: only its views may read a feature (beneficiaries' codes)."""
    assert _violations(lambda module, imported: _within(module, "registry.audit") and not _is_views(module)
                       and _within(imported, "registry.beneficiaries")) == []


def test_the_rules_see_every_module():
    """The walk finds the packages the rules speak of (a moved folder would make them pass on nothing)."""
    modules = _modules()
    assert {API, GLUE, "registry.audit.queries", "registry.beneficiaries.views"} <= set(modules)
