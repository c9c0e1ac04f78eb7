from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "everydesk.mail"
    label = "mail"
