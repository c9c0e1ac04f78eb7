from django.urls import path

from everydesk.webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("", views.webhooks_page, name="page"),
    path("endpoints/", views.add_endpoint, name="add_endpoint"),
    path("endpoints/<int:endpoint_id>/rotate/", views.rotate_secret, name="rotate"),
    path("deliveries/<int:delivery_id>/", views.delivery_page, name="delivery"),
    path("deliveries/<int:delivery_id>/resend/", views.resend, name="resend"),
]
