from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "kouki.assessment"
    label = "assessment"
    verbose_name = "賦課"
