"""One row per 住基ネット lookup (issue 13 §3, IN-09): who, when, from where, why, how, how many found.

Neither what was asked (number, 4 items) nor what came back is kept: the result lives only in the screen
that showed it. A notification verified by a lookup refers to its row (notifications.Notification).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SearchKind(models.TextChoices):
    PERSONAL_NUMBER = "personal_number", "個人番号で照会"
    FOUR_ITEMS = "four_items", "4情報で照会"


class Lookup(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    username = models.CharField("職員ID", max_length=150)
    at = models.DateTimeField("照会日時")
    terminal_id = models.CharField("端末ID", max_length=64)
    screen = models.CharField("照会画面", max_length=100)
    purpose_code = models.CharField("照会理由コード", max_length=32)
    purpose = models.CharField("照会理由", max_length=200)
    search_kind = models.CharField("照会方法", max_length=20, choices=SearchKind.choices)
    hit_count = models.PositiveIntegerField("該当件数")

    class Meta:
        verbose_name = "住基ネット照会記録"
        indexes = [models.Index(fields=["user", "at"], name="jukinet_lookup_user_at")]

    def __str__(self) -> str:
        return f"照会番号 {self.pk}"
