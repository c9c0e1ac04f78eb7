from django.apps import AppConfig


class PlaybookConfig(AppConfig):
    name = "everydesk.playbook"
    label = "playbook"
    default_auto_field = "django.db.models.BigAutoField"
