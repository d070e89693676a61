from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kouki.notifications"
    label = "notifications"
    verbose_name = "届出"
