from django.contrib import admin

from everydesk.insights.models import DigestRecipient, DigestRun


@admin.register(DigestRecipient)
class DigestRecipientAdmin(admin.ModelAdmin):
    list_display = ("email", "name", "active")
    list_filter = ("active",)
    search_fields = ("email", "name")


@admin.register(DigestRun)
class DigestRunAdmin(admin.ModelAdmin):
    list_display = ("period_start", "period_end", "status", "sent_at")
    readonly_fields = (
        "period_start",
        "period_end",
        "status",
        "recipients",
        "started_at",
        "sent_at",
        "error",
    )
