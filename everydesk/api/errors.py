"""Every failure the API reports, in one shape:

    {"error": {"status": 404, "code": "not_found", "message": "...", "details": [...]}}

`details` lists field problems ({"field": ..., "message": ...}) and is empty
otherwise. Handlers cover what an operation raises; `json_errors` and
`unknown_route` cover what happens outside any operation (no such path, wrong
method), so a client never has to parse an HTML error page.
"""

import logging
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from everydesk.conversations.search import EmptyQuery
from everydesk.lib.errors import ActionError
from everydesk.lib.keyset import BadCursor

logger = logging.getLogger("django.request")

DOCS_URL = "/api/v1/docs"
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "validation_error",
    429: "throttled",
    500: "server_error",
}
UNAUTHORIZED = "Send a valid API token in the header 'Authorization: Bearer <token>'."

# Plain-words messages for the validation errors clients actually meet; the
# placeholders come from pydantic's error context.
_PLAIN = {
    "missing": "This field is required.",
    "extra_forbidden": "This field is not accepted here.",
    "int_parsing": "Enter a whole number.",
    "int_type": "Enter a whole number.",
    "int_from_float": "Enter a whole number.",
    "bool_parsing": "Use true or false.",
    "bool_type": "Use true or false.",
    "string_type": "Enter text.",
    "list_type": "Send a list.",
    "model_attributes_type": "Send a JSON object.",
    "dict_type": "Send a JSON object.",
    "date_parsing": "Enter a date as YYYY-MM-DD.",
    "date_from_datetime_parsing": "Enter a date as YYYY-MM-DD.",
    "greater_than_equal": "Use a value of at least {ge}.",
    "less_than_equal": "Use a value of at most {le}.",
    "string_too_long": "Use at most {max_length} characters.",
    "enum": "Use one of {expected}.",
    "literal_error": "Use one of {expected}.",
    "value_error": "{error}",
}


def body(status: int, message: str, *, code: str = "", details: Iterable[dict] = ()) -> dict:
    return {
        "error": {
            "status": status,
            "code": code or CODES.get(status, "error"),
            "message": message,
            "details": list(details),
        }
    }


def error_response(status: int, message: str, **kwargs: Any) -> JsonResponse:
    """The error shape for answers given outside an API operation."""
    return JsonResponse(body(status, message, **kwargs), status=status)


def _field(loc: tuple[Any, ...]) -> str:
    # loc is (source, [body argument,] field, ...): a JSON body is read into one
    # argument whose name means nothing to the client.
    source, *rest = loc
    if source == "body":
        rest = rest[1:]
    return ".".join(str(part) for part in rest)


def _plain(error: dict[str, Any]) -> str:
    template = _PLAIN.get(error["type"])
    if template is None:
        return str(error["msg"])
    try:
        return template.format(**error.get("ctx", {}))
    except (KeyError, IndexError):
        return str(error["msg"])


def field_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    details = []
    for error in errors:
        field = _field(tuple(error["loc"]))
        message = _plain(error) if field else "The request body is missing or not an object."
        details.append({"field": field, "message": message})
    return details


def install(api: NinjaAPI) -> None:
    """Replace ninja's default error answers with ours."""

    def reply(request: HttpRequest, status: int, message: str, **kwargs: Any) -> HttpResponse:
        return api.create_response(request, body(status, message, **kwargs), status=status)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = field_errors(exc.errors)
        return reply(request, 422, "Some fields are missing or not valid.", details=details)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = reply(request, 401, UNAUTHORIZED)
        response["WWW-Authenticate"] = 'Bearer realm="everydesk"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = str(exc)
        if exc.status_code == 400 and message.startswith("Cannot parse request body"):
            message = "The request body is not valid JSON."
        return reply(request, exc.status_code, message)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return reply(request, 404, str(exc) or "Not found.")

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return reply(request, 403, str(exc) or "You may not do this.")

    @api.exception_handler(ActionError)
    def refused(request: HttpRequest, exc: ActionError) -> HttpResponse:
        status = 409 if exc.code == "conflict" else 400
        details = [{"field": exc.field, "message": exc.message}] if exc.field else []
        return reply(request, status, exc.message, code=exc.code, details=details)

    @api.exception_handler(BadCursor)
    def bad_cursor(request: HttpRequest, exc: BadCursor) -> HttpResponse:
        details = [{"field": "after", "message": str(exc)}]
        return reply(request, 400, str(exc), code="bad_cursor", details=details)

    @api.exception_handler(EmptyQuery)
    def empty_query(request: HttpRequest, exc: EmptyQuery) -> HttpResponse:
        details = [{"field": "q", "message": str(exc)}]
        return reply(request, 400, str(exc), code="empty_query", details=details)

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return reply(request, 413, "The request body is too large.")

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Logged where Django logs its own 500s, so admin mail and log shipping see it.
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exc,
            extra={"status_code": 500, "request": request},
        )
        return reply(request, 500, "Something went wrong on our side; it has been logged.")


View = Callable[..., HttpResponse]


def json_errors(view: View) -> View:
    """Wrap one of ninja's URL views so its 404 and 405 answers take our shape too."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return error_response(404, f"Nothing here; the endpoints are listed at {DOCS_URL}.")
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            converted = error_response(405, f"{request.method} is not allowed here; use {allowed}.")
            converted["Allow"] = allowed
            return converted
        return response

    return wrapper


def _exists_without_slash(path: str) -> bool:
    if not path.endswith("/"):
        return False
    try:
        return resolve(path.rstrip("/")).func is not unknown_route
    except Resolver404:
        return False


@csrf_exempt
def unknown_route(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    if _exists_without_slash(request.path):
        message = f"There is no endpoint at {request.path}; drop the trailing slash."
    else:
        message = f"There is no endpoint at {request.path}; see {DOCS_URL}."
    return error_response(404, message)
