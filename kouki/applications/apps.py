from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "kouki.applications"
    label = "applications"
    verbose_name = "申請"
