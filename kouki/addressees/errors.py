"""Errors of the addressee registry that other apps raise or catch."""

from __future__ import annotations


class UnknownAddressee(ValueError):
    """A record names a 宛名番号 the city does not hold; `index` is the record's position in its file,
    `reason` the message a rejection report prints."""

    def __init__(self, index: int, addressee_no: str) -> None:
        super().__init__(f"宛名番号 {addressee_no} は登録されていません")
        self.index = index
        self.reason = str(self)
