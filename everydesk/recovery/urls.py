from django.urls import path

from everydesk.recovery import views

app_name = "recovery"
urlpatterns = [
    path("", views.follow_up_list, name="list"),
    path("<int:follow_up_id>/", views.follow_up_page, name="follow_up"),
    path("<int:follow_up_id>/outcome/", views.outcome, name="outcome"),
    path("<int:follow_up_id>/snooze/", views.snooze, name="snooze"),
    path("<int:follow_up_id>/reassign/", views.reassign, name="reassign"),
]
