from django.contrib import admin

from everydesk.lib.readonly_admin import ViewOnly
from everydesk.praise.models import Praise, PraiseAudit


class AuditInline(admin.TabularInline):
    model = PraiseAudit
    extra = 0
    can_delete = False
    readonly_fields = ["action", "actor", "reason", "at"]


@admin.register(Praise)
class PraiseAdmin(ViewOnly, admin.ModelAdmin):
    """Read-only: hiding goes through the wall, where it is audited."""

    allow_delete = True

    list_display = ["employee", "matched_by", "from_name", "created_at", "hidden_at"]
    list_filter = ["matched_by"]
    inlines = [AuditInline]
