from django.urls import path

app_name = "portal"
urlpatterns: list = [
    path("c/<int:conversation_id>/", lambda r, conversation_id: None, name="conversation"),
]
