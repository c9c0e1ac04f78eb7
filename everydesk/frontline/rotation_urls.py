from django.urls import path

from everydesk.frontline import rotation_views

app_name = "shifts"
urlpatterns = [
    path("", rotation_views.my_shifts, name="mine"),
    path("<int:shift_id>/offer/", rotation_views.offer, name="offer"),
    path("swaps/<int:swap_id>/accept/", rotation_views.accept, name="accept"),
    path("swaps/<int:swap_id>/decline/", rotation_views.decline, name="decline"),
    path("swaps/<int:swap_id>/withdraw/", rotation_views.withdraw, name="withdraw"),
    path("calendar/", rotation_views.make_feed, name="make_feed"),
    path("calendar/revoke/", rotation_views.revoke_feed, name="revoke_feed"),
    path("coverage/", rotation_views.coverage_page, name="coverage"),
]
