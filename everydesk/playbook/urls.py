"""The playbook's desk pages, under /desk/playbook/ and /desk/approvals/."""

from django.urls import path

from everydesk.playbook import views

app_name = "playbook"
urlpatterns = [
    path("playbook/c/<int:conversation_id>/", views.panel, name="panel"),
    path("playbook/c/<int:conversation_id>/<slug:slug>/", views.take, name="take"),
    path("playbook/spending/", views.spending_page, name="spending"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:action_id>/approve/", views.approve, name="approve"),
    path("approvals/<int:action_id>/deny/", views.deny, name="deny"),
]
