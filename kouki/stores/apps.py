from django.apps import AppConfig


class StoresConfig(AppConfig):
    name = "kouki.stores"
    label = "stores"
    verbose_name = "コンビニ収納"
