from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "everydesk.api"
    label = "api"
