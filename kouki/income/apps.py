from django.apps import AppConfig


class IncomeConfig(AppConfig):
    name = "kouki.income"
    label = "income"
    verbose_name = "所得"
