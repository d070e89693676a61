from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "kouki.privacy"
    label = "privacy"
    verbose_name = "特定個人情報保護"
