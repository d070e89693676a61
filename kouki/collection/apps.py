from __future__ import annotations

from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "kouki.collection"
    label = "collection"
    verbose_name = "収納"
