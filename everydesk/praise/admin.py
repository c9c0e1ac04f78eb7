from django.contrib import admin

from everydesk.praise.models import Praise, PraiseAudit


class AuditInline(admin.TabularInline):
    model = PraiseAudit
    extra = 0
    can_delete = False
    readonly_fields = ["action", "actor", "reason", "at"]


@admin.register(Praise)
class PraiseAdmin(admin.ModelAdmin):
    """Read-only: hiding goes through the wall, where it is audited."""

    list_display = ["employee", "matched_by", "from_name", "created_at", "hidden_at"]
    list_filter = ["matched_by"]
    inlines = [AuditInline]

    def has_add_permission(self, request: object) -> bool:  # type: ignore[override]
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:  # type: ignore[override]
        return False
