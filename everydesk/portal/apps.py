from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "everydesk.portal"
    label = "portal"
