"""Browser tests share the screen-test fixtures (synthetic household, staff, numbers)."""

from __future__ import annotations

from web.conftest import client_as, family, numbers, staff_of  # noqa: F401 (fixtures)

