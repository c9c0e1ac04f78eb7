"""Front-line shifts: every employee serves customers a few hours a quarter."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Shift(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shifts"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # serves: who is on shift now, and each person's calendar feed
            models.Index(fields=["user", "starts_at"], name="shift_user_start"),
            models.Index(fields=["starts_at", "ends_at"], name="shift_window"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.starts_at:%Y-%m-%d %H:%M}"
