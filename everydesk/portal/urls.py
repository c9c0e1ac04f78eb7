from django.urls import path

from everydesk.portal.views import pages, public_form, signin

app_name = "portal"
urlpatterns = [
    path("", pages.home, name="home"),
    path("new/", pages.new, name="new"),
    path("c/<int:conversation_id>/", pages.conversation, name="conversation"),
    path("login/", signin.request_link, name="login"),
    path("login/<str:token>/", signin.use_link, name="link"),
    path("form/", public_form.public_form, name="form"),
    path("form/thanks/", public_form.thanks, name="form_thanks"),
]
