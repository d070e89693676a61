"""The 照会許可用照合リスト as the simulated network holds it [PIA L2806–2825; SEC-29]: (照会者, 提供者, 事務,
特定個人情報の項目). Only what kouki's work needs is listed: 別表第二 item 82 [R35], the 市町村長 as 照会者.

The 照会者 is a class of body (市町村長): the platform checks that the request comes from the body whose
partition it is (the city it was seeded for) and that the body is of that class.
"""

from __future__ import annotations

from dataclasses import dataclass

from kouki.inquiries.catalogue import JIMU, PENSION_PROVIDERS, UNION_PROVIDERS

MAYOR = "市町村長"
PENSION_ITEM = "年金給付関係情報"
UNION_ITEM = "保険料の徴収に関する情報"


@dataclass(frozen=True)
class Permission:
    inquirer_class: str
    provider: str
    jimu: str
    item: str
    basis: str


PERMISSION_LIST: tuple[Permission, ...] = (
    *(
        Permission(MAYOR, p, JIMU, PENSION_ITEM, "別表第二 82項 (a)")
        for p in ("厚生労働大臣", *PENSION_PROVIDERS)
    ),
    *(Permission(MAYOR, p, JIMU, UNION_ITEM, "別表第二 82項 (b)") for p in UNION_PROVIDERS),
)


def body_class(body: str) -> str:
    """市町村長 for a mayor of a city, town or village; the body itself otherwise."""
    return MAYOR if body.endswith(("市長", "町長", "村長", "区長")) else body


def permitted(inquirer: str, provider: str, jimu: str, item: str) -> Permission | None:
    klass = body_class(inquirer)
    for entry in PERMISSION_LIST:
        if (entry.inquirer_class, entry.provider, entry.jimu, entry.item) == (klass, provider, jimu, item):
            return entry
    return None
