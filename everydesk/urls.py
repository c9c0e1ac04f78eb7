from django.contrib import admin
from django.urls import include, path

from everydesk.accounts.views import home
from everydesk.conversations.views import download_attachment
from everydesk.mail.views import download_original

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("everydesk.accounts.urls")),
    path("desk/insights/", include("everydesk.insights.urls")),
    path("desk/notifications/", include("everydesk.notifications.urls")),
    path("desk/follow-ups/", include("everydesk.recovery.urls")),
    path("desk/", include("everydesk.desk.urls")),
    path("portal/", include("everydesk.portal.urls")),
    path("api/", include("everydesk.api.urls")),
    path("admin/", admin.site.urls),
    path("files/<int:attachment_id>/", download_attachment, name="attachment"),
    path("mail/<int:inbound_id>/original/", download_original, name="original_email"),
]
