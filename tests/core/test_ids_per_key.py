"""kouki.core.db.ids_per_key: the ids of several querysets in one query, each under its key."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kouki.accounts.models import StaffUser
from kouki.addressees.models import Household
from kouki.core.db import ids_per_key


@pytest.mark.django_db
def test_each_key_gets_the_ids_of_its_own_queryset_in_one_query() -> None:
    homes = [Household.objects.create(household_no=f"H{n:09d}") for n in range(3)]
    users = [StaffUser.objects.create(username=f"ids{n}", staff_name=f"試験 {n}") for n in range(2)]
    with CaptureQueriesContext(connection) as queries:
        found = ids_per_key({
            "households": Household.objects.filter(pk__in=[h.pk for h in homes[:2]]),
            "none": Household.objects.filter(pk=-1),
            "users": StaffUser.objects.filter(username__startswith="ids"),
        })
    assert len(queries) == 1
    assert sorted(found["households"]) == sorted(str(h.pk) for h in homes[:2])
    assert found["none"] == []
    assert sorted(found["users"]) == sorted(str(u.pk) for u in users)


@pytest.mark.django_db
def test_one_queryset_and_none() -> None:
    home = Household.objects.create(household_no="H000000009")
    assert ids_per_key({"h": Household.objects.all()}) == {"h": [str(home.pk)]}
    assert ids_per_key({}) == {}
