from django.apps import AppConfig


class TransfersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kouki.transfers"
    verbose_name = "特定個人情報の移転"
