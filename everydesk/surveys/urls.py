"""Survey pages: the links in survey emails, the portal's rating, and the desk's lists."""

from django.urls import path

from everydesk.surveys.views import answer, desk, portal

app_name = "surveys"
urlpatterns = [
    path("surveys/answer/<str:token>/", answer.answer, name="answer"),
    path("surveys/stop/<str:token>/", answer.opt_out, name="opt_out"),
    path("portal/c/<int:conversation_id>/rate/", portal.rate, name="rate"),
    path("desk/surveys/", desk.recent_answers, name="recent"),
    path("desk/c/<int:conversation_id>/surveys/", desk.conversation_surveys, name="conversation"),
]
