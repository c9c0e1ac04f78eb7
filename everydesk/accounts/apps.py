from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "everydesk.accounts"
    label = "accounts"
