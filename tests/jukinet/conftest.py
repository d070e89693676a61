"""Staff of each role (the privacy tests' fixtures) for the 住基ネット lookup tests."""

from privacy.conftest import auditor, counter_clerk, number_clerk, supervisor, system_admin

__all__ = ["auditor", "counter_clerk", "number_clerk", "supervisor", "system_admin"]
