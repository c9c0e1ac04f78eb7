"""/api/: version 1 of the REST API, and JSON 404s for every path it does not know."""

from django.urls import URLPattern, URLResolver, include, path, re_path

from everydesk.api.api import api
from everydesk.api.errors import json_errors, unknown_route


def _json_errors(pattern: URLPattern | URLResolver) -> URLPattern | URLResolver:
    if not isinstance(pattern, URLPattern):
        return pattern
    return URLPattern(
        pattern.pattern, json_errors(pattern.callback), pattern.default_args, pattern.name
    )


_patterns, _app_name, _namespace = api.urls

urlpatterns = [
    path("v1/", include(([_json_errors(p) for p in _patterns], _app_name), namespace=_namespace)),
    re_path(r"", unknown_route),
]
