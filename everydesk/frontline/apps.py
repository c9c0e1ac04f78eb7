from django.apps import AppConfig


class FrontlineConfig(AppConfig):
    name = "everydesk.frontline"
    label = "frontline"
    verbose_name = "Front line"
    default_auto_field = "django.db.models.BigAutoField"
