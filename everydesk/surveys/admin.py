"""Surveys in the admin: answers to read, and the opt-out list to manage.

Answers are read-only here: they are the customer's words and the figures are
built from them. An opt-out can be removed (the customer asked to be surveyed
again) or added (they asked by phone).
"""

from django.contrib import admin

from everydesk.lib.readonly_admin import ViewOnly
from everydesk.surveys.models import Survey, SurveyOptOut


@admin.register(Survey)
class SurveyAdmin(ViewOnly, admin.ModelAdmin):
    allow_delete = True
    list_display = ("sent_at", "kind", "customer", "score", "answered_at", "recovery")
    list_filter = ("kind", "answered_at")
    search_fields = ("customer__email", "customer__name", "comment")
    list_select_related = ("customer", "recovery")
    raw_id_fields = ("customer", "conversation", "recovery", "agent")


@admin.register(SurveyOptOut)
class SurveyOptOutAdmin(admin.ModelAdmin):
    list_display = ("customer", "created_at")
    search_fields = ("customer__email", "customer__name")
    raw_id_fields = ("customer",)
