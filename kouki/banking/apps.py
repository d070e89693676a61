from django.apps import AppConfig


class BankingConfig(AppConfig):
    name = "kouki.banking"
    label = "banking"
    verbose_name = "口座振替・還付口座"
