from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "everydesk.desk"
    label = "desk"
