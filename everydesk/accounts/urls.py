from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path
from django_ratelimit.decorators import ratelimit

from everydesk.accounts import views

# Password guessing is slowed per address tried and per client; over the limit
# the shared 429 page explains the wait.
login = auth_views.LoginView.as_view()
for key in ("post:username", "ip"):
    login = ratelimit(key=key, rate=settings.STAFF_LOGIN_RATE, method="POST", block=True)(login)

app_name = "accounts"
urlpatterns = [
    path("login/", login, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
]
