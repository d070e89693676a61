from django.apps import AppConfig


class TransfersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kouki.transfers"
    verbose_name = "特定個人情報の移転"

    def ready(self) -> None:
        from kouki.eligibility.outbound import union_file_sent
        from kouki.transfers.union_records import record_union_file

        union_file_sent.connect(record_union_file, dispatch_uid="kouki.transfers.union_records")
