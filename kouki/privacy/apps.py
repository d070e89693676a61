from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "kouki.privacy"
    label = "privacy"
    verbose_name = "特定個人情報保護"

    def ready(self) -> None:
        import kouki.privacy.anomalies  # noqa: F401 (registers the anomaly alert kinds, issue 15 §2)
        from kouki.accounts.secret_box import register
        from kouki.privacy.secret_seal import KeyringSecretBox

        register(KeyringSecretBox())  # staff TOTP secrets are sealed with the keyring (issue 14 §2)
