from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "kouki.eligibility"
    label = "eligibility"
    verbose_name = "資格"
