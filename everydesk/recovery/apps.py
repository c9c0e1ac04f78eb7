from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "everydesk.recovery"
    label = "recovery"
    verbose_name = "Service recovery"
    default_auto_field = "django.db.models.BigAutoField"
