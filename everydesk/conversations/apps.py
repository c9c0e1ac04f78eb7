from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "everydesk.conversations"
    label = "conversations"
