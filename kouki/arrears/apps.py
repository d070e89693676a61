from django.apps import AppConfig


class ArrearsConfig(AppConfig):
    name = "kouki.arrears"
    label = "arrears"
    verbose_name = "督促・滞納"

    def ready(self) -> None:
        # reminders and pledges renew the 時効 of instalments the collection ledger allocates to
        from kouki.arrears.limitation import arrears_renewals
        from kouki.collection.limitation import renewal_source_register

        renewal_source_register(arrears_renewals)
