"""For admin pages of rows the product writes itself (ledgers, logs, clocks): people may
look, never add or edit, and delete only where a class allows it."""

from typing import Any

from django.http import HttpRequest


class ViewOnly:
    """Put before ModelAdmin or an inline in the bases."""

    allow_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not self.allow_delete:
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]
