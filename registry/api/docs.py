"""The API's document: /api/v1/openapi.json, and /api/v1/docs, a page that reads it (no outside assets)."""
from flask import Blueprint, jsonify, render_template

from registry.api.openapi import document
from registry.auth.guard import public

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")


@bp.get("/openapi.json")
@public
def openapi_json():
    """The OpenAPI 3 document."""
    return jsonify(document())


def _resolve(schema, components):
    ref = schema.get("$ref", "")
    return components[ref.rsplit("/", 1)[-1]] if ref else schema


def _type_of(schema, components):
    """A schema's type as people read it: "string (date)", "Beneficiary", "array of Session"."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    kind = schema.get("type", "object")
    if kind == "array":
        return "array of " + _type_of(schema.get("items", {}), components)
    if "format" in schema:
        kind += f" ({schema['format']})"
    if "enum" in schema:
        kind += ": " + " | ".join("null" if v is None else str(v) for v in schema["enum"])
    return kind + (" or null" if schema.get("nullable") and "enum" not in schema else "")


def schema_rows(schema, components):
    """(name, type, required, description) of an object schema's properties."""
    schema = _resolve(schema, components)
    required = set(schema.get("required", ()))
    return [(name, _type_of(prop, components), name in required, prop.get("description", ""))
            for name, prop in schema.get("properties", {}).items()]


@bp.get("/docs")
@public
def page():
    """The document as a page, operation by operation."""
    doc = document()
    components = doc["components"]["schemas"]
    return render_template("api/docs.html", doc=doc, components=components,
                           rows=lambda schema: schema_rows(schema, components),
                           type_of=lambda schema: _type_of(schema, components))
