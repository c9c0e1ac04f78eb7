from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "everydesk.customers"
    label = "customers"
