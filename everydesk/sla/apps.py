from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "everydesk.sla"
    label = "sla"
    verbose_name = "Service levels"
    default_auto_field = "django.db.models.BigAutoField"
