from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "kouki.reviews"
    label = "reviews"
    verbose_name = "監査ログの月次点検"
