from django.apps import AppConfig


class ArrearsConfig(AppConfig):
    name = "kouki.arrears"
    label = "arrears"
    verbose_name = "督促・滞納"
