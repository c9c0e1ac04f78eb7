"""Django admin for webhooks: endpoints are set up here (the secret is generated and
shown), deliveries and their attempts are read-only, and failed ones can be resent."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from everydesk.lib.errors import ActionError
from everydesk.webhooks import actions, targets
from everydesk.webhooks.models import Delivery, DeliveryAttempt, Endpoint


class EndpointForm(forms.ModelForm):
    url = forms.URLField(max_length=500, label="URL", assume_scheme="https")

    class Meta:
        model = Endpoint
        fields = ["name", "url", "events", "is_active", "retry_client_errors"]
        help_texts = {
            "events": 'A JSON list of event names, e.g. ["action.taken"]; [] for every event.',
        }

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            targets.check_url(url)
        except targets.BlockedTarget as error:
            raise forms.ValidationError(str(error)) from None
        return url

    def clean_events(self) -> list[str]:
        events = self.cleaned_data["events"] or []
        if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
            raise forms.ValidationError('Give a list of event names, e.g. ["action.taken"].')
        return sorted(set(events))


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["name", "url", "is_active", "created_at"]
    readonly_fields = ["secret", "previous_secret_until"]
    actions = ["rotate_secrets"]

    @admin.action(description="Rotate the signing secret (the old one stays valid a while)")
    def rotate_secrets(self, request: HttpRequest, queryset: QuerySet[Endpoint]) -> None:
        for endpoint in queryset:
            actions.rotate_secret(endpoint=endpoint)
        self.message_user(request, f"Rotated {queryset.count()} secret(s).")


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "number",
        "started_at",
        "duration_ms",
        "status_code",
        "outcome",
        "error",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "endpoint", "status", "attempts", "last_status_code", "created_at"]
    list_filter = ["status", "endpoint", "event"]
    search_fields = ["idempotency_key", "event"]
    inlines = [AttemptInline]
    actions = ["resend"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Resend (a fresh round of retries)")
    def resend(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        for delivery in queryset.select_related("endpoint"):
            try:
                actions.resend(delivery=delivery, by=request.user)  # type: ignore[arg-type]
            except ActionError as error:
                self.message_user(request, f"{delivery}: {error.message}", messages.ERROR)
