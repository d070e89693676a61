from django.apps import AppConfig


class AddresseesConfig(AppConfig):
    name = "kouki.addressees"
    label = "addressees"
    verbose_name = "宛名"
