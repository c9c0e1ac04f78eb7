from django.urls import path

from everydesk.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("digest/", views.digest_preview, name="digest"),
    path("digest.pdf", views.digest_pdf, name="digest_pdf"),
]
