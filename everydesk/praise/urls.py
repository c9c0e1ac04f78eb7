from django.urls import path

from everydesk.praise import views

app_name = "praise"
urlpatterns = [
    path("", views.wall, name="wall"),
    path("mine/", views.mine, name="mine"),
    path("<int:praise_id>/hide/", views.hide, name="hide"),
    path("<int:praise_id>/show/", views.show, name="show"),
]
