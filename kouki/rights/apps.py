from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "kouki.rights"
    label = "rights"
    verbose_name = "個人情報の取扱いに関する問合せ・請求"
