from django.apps import AppConfig


class InterfacesConfig(AppConfig):
    name = "kouki.interfaces"
    label = "interfaces"
    verbose_name = "外部連携"
