from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kouki.accounts"
    label = "accounts"
    verbose_name = "職員"
