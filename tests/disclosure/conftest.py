from web.conftest import client_as, family, numbers, staff_of  # noqa: F401 (fixtures)
