from django.contrib import admin
from django.urls import include, path

from everydesk.accounts.views import home
from everydesk.conversations.views import download_attachment
from everydesk.frontline.calendar_feed import feed as calendar_feed
from everydesk.mail.views import download_original

urlpatterns = [
    path("", home, name="home"),
    # Before desk/ and portal/: it adds pages under both (its links, the portal's rating).
    path("", include("everydesk.surveys.urls")),
    path("accounts/", include("everydesk.accounts.urls")),
    path("desk/insights/", include("everydesk.insights.urls")),
    path("desk/notifications/", include("everydesk.notifications.urls")),
    path("desk/shifts/", include("everydesk.frontline.rotation_urls")),
    path("desk/praise/", include("everydesk.praise.urls")),
    path("desk/webhooks/", include("everydesk.webhooks.urls")),
    path("desk/", include("everydesk.playbook.urls")),
    path("desk/follow-ups/", include("everydesk.recovery.urls")),
    path("desk/", include("everydesk.desk.urls")),
    path("portal/", include("everydesk.portal.urls")),
    path("api/", include("everydesk.api.urls")),
    path("admin/", admin.site.urls),
    # No sign-in: calendar apps poll it; the secret token is the key.
    path("frontline/calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
    path("files/<int:attachment_id>/", download_attachment, name="attachment"),
    path("mail/<int:inbound_id>/original/", download_original, name="original_email"),
]
