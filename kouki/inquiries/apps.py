from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "kouki.inquiries"
    label = "inquiries"
    verbose_name = "情報照会(中間サーバ)"
