from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "kouki.certificates"
    label = "certificates"
    verbose_name = "資格確認書"
