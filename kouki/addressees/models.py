"""Addressee registry tables.

History is kept as versions. Each version has an effective interval
[valid_from, valid_to) (valid_to NULL = open) and a recorded_at time; a version replaced by a
later correction gets superseded_at instead of being edited or deleted, so the registry can say
both "what was true on date D" and "what did we know at time T" (ADR 0002).

A household has no version table of its own: its members and householder on a date are the
person versions that point to it on that date.
"""

from __future__ import annotations

from django.db import models


class Registration(models.TextChoices):
    RESIDENT = "resident", "住登者"
    NON_RESIDENT = "non_resident", "住登外者"


class PersonStatus(models.TextChoices):
    RESIDENT = "resident", "住民"
    NON_RESIDENT = "non_resident", "住登外"
    MOVED_OUT = "moved_out", "転出"
    DECEASED = "deceased", "死亡"


class Sex(models.TextChoices):
    MALE = "1", "男"
    FEMALE = "2", "女"


class ChangeKind(models.TextChoices):
    BIRTH = "birth", "出生"
    DEATH = "death", "死亡"
    MOVE_IN = "move_in", "転入"
    MOVE_OUT = "move_out", "転出"
    ADDRESS_CHANGE = "address_change", "転居"
    HOUSEHOLD_CHANGE = "household_change", "世帯変更"
    NAME_CHANGE = "name_change", "氏名変更"
    NON_RESIDENT_REGISTRATION = "non_resident_registration", "住登外登録"
    CORRECTION = "correction", "職権修正"


class Household(models.Model):
    household_no = models.CharField("世帯番号", max_length=15, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "世帯"

    def __str__(self) -> str:
        return f"世帯 {self.household_no}"


class Person(models.Model):
    addressee_no = models.CharField("宛名番号", max_length=15, unique=True)
    registration = models.CharField("住登区分", max_length=16, choices=Registration.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "宛名"

    def __str__(self) -> str:
        return f"宛名 {self.addressee_no}"


class ChangeEvent(models.Model):
    """One resident-register change (異動) as received, the cause of person versions."""

    source_change_id = models.CharField("異動番号", max_length=20, unique=True)
    kind = models.CharField("異動事由", max_length=32, choices=ChangeKind.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="changes")
    effective_date = models.DateField("異動日")
    notified_date = models.DateField("届出日")
    recorded_at = models.DateTimeField("記録日時")
    # 転出: the prefecture (JIS X 0401) the 転出先住所 begins with, "" when it names none (abroad, unknown);
    # sent to the union, which loses the status on the move-out day for another prefecture (高確法 §53①).
    moved_to_prefecture = models.CharField("転出先都道府県コード", max_length=2, blank=True, default="")
    import_record = models.ForeignKey(
        "interfaces.ImportRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="changes"
    )

    class Meta:
        verbose_name = "異動"
        indexes = [models.Index(fields=["effective_date"])]


class PersonVersion(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="versions")
    family_name = models.CharField("氏", max_length=40)
    given_name = models.CharField("名", max_length=40)
    family_name_kana = models.CharField("氏カナ", max_length=80)
    given_name_kana = models.CharField("名カナ", max_length=80)
    kana_key = models.CharField("検索用カナ", max_length=160)
    sex = models.CharField("性別", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("生年月日")
    status = models.CharField("状態", max_length=16, choices=PersonStatus.choices)
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="member_versions"
    )
    is_householder = models.BooleanField("世帯主", default=False)
    relationship = models.CharField("続柄", max_length=20, blank=True)
    postal_code = models.CharField("郵便番号", max_length=7)
    municipality_code = models.CharField("市区町村コード", max_length=5)
    address = models.CharField("住所", max_length=200)
    phone = models.CharField("電話番号", max_length=20, blank=True)
    valid_from = models.DateField("有効開始日")
    valid_to = models.DateField("有効終了日", null=True, blank=True)
    recorded_at = models.DateTimeField("記録日時")
    superseded_at = models.DateTimeField("訂正日時", null=True, blank=True)
    change = models.ForeignKey(
        ChangeEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="versions"
    )
    is_current = models.BooleanField("現在", default=False)

    class Meta:
        verbose_name = "宛名履歴"
        indexes = [
            models.Index(fields=["person", "valid_from"]),
            models.Index(fields=["kana_key"], name="pv_current_kana", condition=models.Q(is_current=True)),
            models.Index(fields=["birth_date"], name="pv_current_birth", condition=models.Q(is_current=True)),
            models.Index(fields=["household", "valid_from"]),
        ]
