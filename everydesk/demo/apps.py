from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "everydesk.demo"
    label = "demo"
