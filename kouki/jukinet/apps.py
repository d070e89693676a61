from django.apps import AppConfig


class JukinetConfig(AppConfig):
    name = "kouki.jukinet"
    label = "jukinet"
    verbose_name = "住基ネット照会"
