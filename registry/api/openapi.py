"""The OpenAPI 3 document of the API, built from the same field lists the endpoints check.

A test compares its paths with the app's URL map, and schemathesis checks every answer against it.
"""
from registry.api import beneficiaries, enrollments, follow_ups, programs
from registry.api.blueprints import MAX_PER_PAGE
from registry.api.fields import object_schema
from registry.api.idempotency import HEADER, REPLAYED_HEADER, WRITE_METHODS
from registry.beneficiaries.duplicates import REASONS
from registry.programs.late_marks import LATER_ON_SERVER, REFUSALS
from registry.programs.models import MARKS

ERRORS = {
    400: "Malformed: not a JSON object, text holding a lone surrogate (\\ud800 to \\udfff; `fields` names where), "
         "a bad query parameter, or an Idempotency-Key that is not 1 to 255 printable ASCII characters.",
    401: "No token, or a token that is unknown, revoked or of a deactivated account.",
    403: "The token's role may not do this, or the record's province is outside its scope.",
    404: "No such record within the token's provinces.",
    409: "A conflict with what is stored (a likely duplicate, a merged record, already enrolled, a full cohort, "
         "consent already withdrawn or none to withdraw), or a request with the same Idempotency-Key still "
         "running (try again in a moment).",
    422: "A field is not valid; `fields` names each one. Also: the Idempotency-Key was used for another request.",
}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema):
    return {"application/json": {"schema": schema}}


def _page_of(name):
    return {"type": "object", "additionalProperties": False, "required": ["items", "total", "page", "per_page"],
            "properties": {"items": {"type": "array", "items": _ref(name)}, "total": {"type": "integer"},
                           "page": {"type": "integer"}, "per_page": {"type": "integer"}}}


def _output(schema):
    """An answer's schema: every property is always there (null where unknown)."""
    return {**schema, "required": sorted(schema["properties"])}


def _sync_result(string):
    """The answer's fields for an offline sync only (marks with taken_at): what was applied, kept out, refused."""
    why = {"type": "string", "enum": [LATER_ON_SERVER, *sorted(REFUSALS)],
           "description": "Why, as a word for the client; `reason` says it to the trainer."}
    time = {"type": "string", "format": "date-time"}
    return {
        "synced_at": {**time, "description": "The server's time of the sync (UTC)."},
        "applied": {"type": "array", "items": string, "description": "The codes whose marks were applied."},
        "kept_out": {"type": "array", "description": "Marks not taken later than the server's: not applied.",
                     "items": {"type": "object", "additionalProperties": False,
                               "required": ["beneficiary", "reason", "why", "server_taken_at"],
                               "properties": {"beneficiary": string, "reason": string, "why": why,
                                              "server_taken_at": time}}},
        "refused": {"type": "array", "description": "Marks for a cancelled or moved session, or a person not "
                                                    "in the cohort on its day (or outside the token's provinces).",
                    "items": {"type": "object", "additionalProperties": False,
                              "required": ["beneficiary", "reason", "why"],
                              "properties": {"beneficiary": string, "reason": string, "why": why}}},
    }


def _schemas():
    b, p, e, f = beneficiaries, programs, enrollments, follow_ups
    integer, number, string, boolean = ({"type": t} for t in ("integer", "number", "string", "boolean"))
    day = {"type": "string", "format": "date"}
    nullable_day = {**day, "nullable": True}
    return {
        "Error": {"type": "object", "required": ["error"], "properties": {
            "error": string, "fields": {"type": "object", "additionalProperties": string}}},
        "DuplicateError": {"type": "object", "required": ["error", "duplicates"], "properties": {
            "error": string, "fields": {"type": "object", "additionalProperties": string},
            "duplicates": {"type": "array", "items": {
                "type": "object", "required": ["code", "reasons"], "additionalProperties": False,
                "properties": {"code": string, "reasons": {"type": "array", "items": {
                    "type": "string", "enum": list(REASONS)}}}}}}},
        "Beneficiary": _output(object_schema(b.FIELDS, read_only=b.READ_ONLY)),
        "BeneficiaryInput": {**object_schema(b.FIELDS, required=b.REQUIRED), "properties": {
            **object_schema(b.FIELDS)["properties"],
            "allow_duplicate": {**boolean, "description": "Register even when likely duplicates exist."}}},
        "BeneficiaryChange": object_schema(b.FIELDS),
        "ConsentInput": object_schema(b.CONSENT_FIELDS, required=("on",)),
        "ConsentWithdrawalInput": object_schema(b.WITHDRAWAL_FIELDS, required=("on", "reason")),
        "BeneficiaryPage": _page_of("Beneficiary"),
        "MergeInput": {"type": "object", "required": ["duplicate"], "additionalProperties": False,
                       "properties": {"duplicate": {**string, "description": "The code of the duplicate."}}},
        "MergeResult": {"type": "object", "additionalProperties": False,
                        "required": ["merge", "survivor", "duplicate", "conflicts"],
                        "properties": {"merge": integer, "survivor": _ref("Beneficiary"), "duplicate": string,
                                       "conflicts": {"type": "array", "items": string}}},
        "Program": _output(object_schema(p.PROGRAM_FIELDS, read_only={"id": integer})),
        "ProgramInput": object_schema(p.PROGRAM_FIELDS, required=("name",)),
        "ProgramPage": _page_of("Program"),
        "Cohort": _output(object_schema(p.COHORT_FIELDS, read_only={"id": integer})),
        "CohortInput": object_schema(p.COHORT_FIELDS, required=("program", "name", "province", "start_on",
                                                                 "end_on")),
        "CohortDetail": {**_output(object_schema(p.COHORT_FIELDS, read_only={
            "id": integer, "sessions": {"type": "array", "items": _ref("Session")}}))},
        "CohortPage": _page_of("Cohort"),
        "Session": {"type": "object", "additionalProperties": False,
                    "required": ["id", "cohort", "date", "hours", "cancelled"],
                    "properties": {"id": integer, "cohort": integer, "date": day, "hours": number,
                                   "cancelled": boolean}},
        "SessionInput": object_schema(p.SESSION_FIELDS, required=("date", "hours")),
        "Enrollment": {"type": "object", "additionalProperties": False, "required": [
            "id", "cohort", "beneficiary", "status", "requested_on", "enrolled_on", "status_on", "ended_on", "reason",
            "override", "assessment_passed", "pre_score", "post_score"], "properties": {
            "id": integer, "cohort": integer, "beneficiary": string,
            "status": {**string, "enum": ["waitlisted", "enrolled", "active", "completed", "dropped_out",
                                          "withdrawn"]},
            "requested_on": {**day, "description": "The day the person was put in the cohort or on its waitlist."},
            "enrolled_on": {**nullable_day, "description": (
                "The day the person got a seat: the request day, or the day of admission from the waitlist. "
                "Null while waiting, and for good when withdrawn from the waitlist.")},
            "status_on": day, "ended_on": nullable_day,
            "reason": {**string, "nullable": True}, "override": {**string, "nullable": True},
            "assessment_passed": {**boolean, "nullable": True}, "pre_score": {**number, "nullable": True},
            "post_score": {**number, "nullable": True}}},
        "EnrollmentInput": object_schema(e.ENROLL_FIELDS, required=("beneficiary", "enrolled_on")),
        "EnrollmentChange": object_schema(e.CHANGE_FIELDS),
        "EnrollmentPage": _page_of("Enrollment"),
        "AttendanceInput": {"type": "object", "required": ["marks"], "additionalProperties": False, "properties": {
            "marks": {"type": "array", "maxItems": e.MAX_MARKS,
                      "items": object_schema(e.MARK_FIELDS, required=("beneficiary", "status"))},
            "held_on": {**day, "description": "An offline sync (marks with taken_at), required there: the "
                                              "session's date as the phone showed it; another date on the "
                                              "server means the session was moved, and every mark is refused."}}},
        "AttendanceResult": {"type": "object", "additionalProperties": False,
                             "required": ["session", "marks", "corrections"],
                             "properties": {"session": integer, "marks": integer, "corrections": integer,
                                            **_sync_result(string)}},
        "FollowUp": _output(object_schema({k: v for k, v in f.FIELDS.items() if k != "window"}, read_only={
            "id": integer, "beneficiary": string, "window": {**integer, "nullable": True}})),
        "FollowUpInput": object_schema(f.FIELDS, required=("on", "reached", "method")),
        "FollowUpChange": object_schema({**f.FIELDS, **f.REASON}, required=("reason",)),
        "FollowUpDeleteInput": object_schema(f.REASON, required=("reason",)),
        "FollowUpDeleted": {"type": "object", "additionalProperties": False,
                            "required": ["id", "beneficiary", "deleted_at", "reason"],
                            "properties": {"id": integer, "beneficiary": string,
                                           "deleted_at": {**string, "format": "date-time"}, "reason": string}},
        "IndicatorReport": {"type": "object", "required": ["start", "end", "indicators"], "properties": {
            "start": day, "end": day, "indicators": {"type": "array", "items": {
                "type": "object", "required": ["code", "title", "title_km", "kind", "numerator", "denominator",
                                               "value", "disaggregations"],
                "properties": {"code": string, "title": string,
                               "title_km": {**string, "description": "The title in Khmer; empty when none is set."},
                               "kind": string,
                               "numerator": {**number, "nullable": True},
                               "denominator": {**number, "nullable": True},
                               "value": {**number, "nullable": True},
                               "disaggregations": {"type": "array", "items": {"type": "object", "properties": {
                                   "by": string, "category": {**string, "nullable": True},
                                   "numerator": {**number, "nullable": True},
                                   "denominator": {**number, "nullable": True},
                                   "value": {**number, "nullable": True}}}}}}}}},
        "OpenApiDocument": {"type": "object", "required": ["openapi", "paths"]},
    }


def _parameter(name, where, schema, description="", required=None):
    parameter = {"name": name, "in": where, "schema": schema, "required": where == "path" or bool(required)}
    if description:
        parameter["description"] = description
    return parameter


PAGE_PARAMETERS = [
    _parameter("page", "query", {"type": "integer", "minimum": 1, "maximum": 10**6, "default": 1}),
    _parameter("per_page", "query", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 50}),
]


def _operation(summary, answer, status=200, body=None, parameters=(), errors=(400, 401, 403), tag="",
               conflict="Error", media="application/json"):
    operation = {"summary": summary, "tags": [tag] if tag else [], "parameters": list(parameters), "responses": {
        str(status): {"description": "Done.", "content": {media: {"schema": answer}}}}}
    if body:
        operation["requestBody"] = {"required": True, "content": _json(body)}
    for code in errors:
        schema = _ref(conflict if code == 409 else "Error")
        operation["responses"][str(code)] = {"description": ERRORS[code], "content": _json(schema)}
    return operation


def _paths():
    code = _parameter("code", "path", {"type": "string"}, "A participant's code, e.g. BR-000123.")
    cohort = _parameter("cohort_id", "path", {"type": "integer"})
    session = _parameter("session_id", "path", {"type": "integer"})
    enrollment = _parameter("enrollment_id", "path", {"type": "integer"})
    follow_up = _parameter("follow_up_id", "path", {"type": "integer"}, "A follow-up's id (deleted ones: 404).")
    text = {"type": "string", "maxLength": 200}
    writes = (400, 401, 403, 404, 409, 422)
    return {
        "/api/v1/beneficiaries": {
            "get": _operation("List participants in the token's provinces", _ref("BeneficiaryPage"),
                              parameters=[_parameter("q", "query", text, "Code, phone, ID number or name words."),
                                          _parameter("province", "query", {"type": "string", "maxLength": 2}),
                                          _parameter("status", "query", {"type": "string",
                                                                         "enum": ["active", "archived"]}),
                                          *PAGE_PARAMETERS], tag="Participants"),
            "post": _operation("Register a participant", _ref("Beneficiary"), 201, _ref("BeneficiaryInput"),
                               errors=(400, 401, 403, 409, 422), tag="Participants", conflict="DuplicateError")},
        "/api/v1/beneficiaries/{code}": {
            "get": _operation("Read a participant (audited)", _ref("Beneficiary"), parameters=[code],
                              errors=(401, 403, 404), tag="Participants"),
            "patch": _operation("Change some fields of a participant (null clears one)", _ref("Beneficiary"),
                                body=_ref("BeneficiaryChange"), parameters=[code], errors=writes,
                                tag="Participants")},
        "/api/v1/beneficiaries/{code}/merge": {
            "post": _operation("Merge a duplicate into this participant", _ref("MergeResult"),
                               body=_ref("MergeInput"), parameters=[code], errors=writes, tag="Participants")},
        "/api/v1/beneficiaries/{code}/consent": {
            "post": _operation("Record consent given (the scopes not sent true are not given); ends a withdrawal",
                               _ref("Beneficiary"), body=_ref("ConsentInput"), parameters=[code], errors=writes,
                               tag="Participants")},
        "/api/v1/beneficiaries/{code}/consent/withdrawal": {
            "post": _operation("Withdraw consent: every scope no longer given, from a day, with the reason",
                               _ref("Beneficiary"), body=_ref("ConsentWithdrawalInput"), parameters=[code],
                               errors=writes, tag="Participants")},
        "/api/v1/beneficiaries/{code}/follow-ups": {
            "post": _operation("Record a follow-up after training", _ref("FollowUp"), 201, _ref("FollowUpInput"),
                               parameters=[code], errors=writes, tag="Outcomes")},
        "/api/v1/follow-ups/{follow_up_id}": {
            "patch": _operation("Correct a follow-up (the fields sent over the stored ones; a reason, audited)",
                                _ref("FollowUp"), body=_ref("FollowUpChange"), parameters=[follow_up],
                                errors=(400, 401, 403, 404, 422), tag="Outcomes"),
            "delete": _operation("Delete a follow-up (kept, counted nowhere; a reason, audited)",
                                 _ref("FollowUpDeleted"), body=_ref("FollowUpDeleteInput"), parameters=[follow_up],
                                 errors=(400, 401, 403, 404, 422), tag="Outcomes")},
        "/api/v1/programs": {
            "get": _operation("List programs", _ref("ProgramPage"), parameters=PAGE_PARAMETERS, tag="Training"),
            "post": _operation("Create a program (admins)", _ref("Program"), 201, _ref("ProgramInput"),
                               errors=(400, 401, 403, 409, 422), tag="Training")},
        "/api/v1/cohorts": {
            "get": _operation("List the cohorts the token may see", _ref("CohortPage"), parameters=PAGE_PARAMETERS,
                              tag="Training"),
            "post": _operation("Create a cohort", _ref("Cohort"), 201, _ref("CohortInput"),
                               errors=(400, 401, 403, 422), tag="Training")},
        "/api/v1/cohorts/{cohort_id}": {
            "get": _operation("Read a cohort with its sessions", _ref("CohortDetail"), parameters=[cohort],
                              errors=(401, 403, 404), tag="Training")},
        "/api/v1/cohorts/{cohort_id}/sessions": {
            "post": _operation("Add a session to a cohort", _ref("Session"), 201, _ref("SessionInput"),
                               parameters=[cohort], errors=(400, 401, 403, 404, 422), tag="Training")},
        "/api/v1/cohorts/{cohort_id}/enrollments": {
            "get": _operation("List a cohort's enrollments", _ref("EnrollmentPage"),
                              parameters=[cohort, *PAGE_PARAMETERS], errors=(400, 401, 403, 404), tag="Training"),
            "post": _operation("Enroll a participant, on the waitlist when the cohort is full (see status)",
                               _ref("Enrollment"), 201, _ref("EnrollmentInput"),
                               parameters=[cohort], errors=writes, tag="Training")},
        "/api/v1/enrollments/{enrollment_id}": {
            "patch": _operation("Change an enrollment's status or assessment; status enrolled admits from the "
                                "waitlist (409 when the cohort is full)", _ref("Enrollment"),
                                body=_ref("EnrollmentChange"), parameters=[enrollment],
                                errors=(400, 401, 403, 404, 409, 422), tag="Training")},
        "/api/v1/sessions/{session_id}/attendance": {
            "put": _operation("Record a session's attendance, all marks or none (" + ", ".join(MARKS) + "); marks "
                              "with taken_at are an offline sync, merged one by one (docs/offline.md)",
                              _ref("AttendanceResult"), body=_ref("AttendanceInput"), parameters=[session],
                              errors=(400, 401, 403, 404, 422), tag="Training")},
        "/api/v1/reports/indicators": {
            "get": _operation("The indicator report of a period, for the token's provinces", _ref("IndicatorReport"),
                              parameters=[_parameter("start", "query", {"type": "string", "format": "date"},
                                                     required=True),
                                          _parameter("end", "query", {"type": "string", "format": "date"},
                                                     required=True),
                                          _parameter("program", "query", {"type": "array",
                                                                          "items": {"type": "integer"}}),
                                          _parameter("province", "query", {"type": "array", "items": {
                                              "type": "string", "maxLength": 2}})], tag="Reports")},
        "/api/v1/openapi.json": {
            "get": {**_operation("This document", _ref("OpenApiDocument"), errors=(), tag="Documentation"),
                    "security": []}},
        "/api/v1/docs": {
            "get": {**_operation("This document as a page", {"type": "string"}, errors=(), tag="Documentation",
                                 media="text/html"), "security": []}},
    }


IDEMPOTENCY_KEY = _parameter(HEADER, "header", {"type": "string", "minLength": 1, "maxLength": 255,
                                                "pattern": "^[\\x20-\\x7e]+$"},
                             "Makes the write safe to retry: the same key from the same user within 24 hours "
                             "gets the first answer again (same status and body, with the header "
                             f"`{REPLAYED_HEADER}: true`) and writes nothing more. See docs/api.md.")


def _idempotent(paths):
    """Every write operation: the Idempotency-Key header, its 409 and 422, and the replay's header."""
    for operations in paths.values():
        for method, operation in operations.items():
            if method.upper() not in WRITE_METHODS:
                continue
            operation["parameters"].append(IDEMPOTENCY_KEY)
            responses = operation["responses"]
            for code in ("409", "422"):
                responses.setdefault(code, {"description": ERRORS[int(code)], "content": _json(_ref("Error"))})
            conflict = responses["409"]["content"]["application/json"]
            if conflict["schema"] != _ref("Error"):  # a duplicate's 409, or a key still in use
                conflict["schema"] = {"anyOf": [conflict["schema"], _ref("Error")]}
            for code, answer in responses.items():
                if code.startswith("2"):
                    answer["headers"] = {REPLAYED_HEADER: {
                        "description": "`true` when this is the stored first answer to the same Idempotency-Key.",
                        "schema": {"type": "string", "enum": ["true"]}}}
    return paths


def document():
    """The OpenAPI document of API v1."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Beneficiary registry API", "version": "1",
                 "description": "Participants, training, follow-ups and reports, with the same rules as the "
                                "pages: role, province scope, audit, validation, all-or-nothing writes. "
                                "Send `Authorization: Bearer <token>`; create a token on your account page."},
        "paths": _idempotent(_paths()),
        "components": {"schemas": _schemas(),
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    }
