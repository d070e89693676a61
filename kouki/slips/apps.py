from django.apps import AppConfig


class SlipsConfig(AppConfig):
    name = "kouki.slips"
    label = "slips"
    verbose_name = "納付書"
