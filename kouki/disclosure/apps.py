from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "kouki.disclosure"
    label = "disclosure"
    verbose_name = "開示・訂正・利用停止請求"
