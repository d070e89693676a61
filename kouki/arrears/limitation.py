"""The renewals of 時効 that arrears work causes, for kouki.collection.limitation (issue 10 §5):
a reminder (督促) renews the instalment it reminds (高確法 §160 ②), from its 指定期限 (ADR 0011); a
pledge (納付誓約) is the debtor's acknowledgement (民法 §152) of the instalments it names."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from kouki.arrears.models import PaymentPledge, PledgedInstalment, Reminder
from kouki.collection.limitation import ClaimKey, claim_key
from kouki.core.db import chunked
from kouki.rules import arrears as rules

CHUNK = 2000


def arrears_renewals(person_ids: Sequence[int]) -> Iterator[tuple[int, rules.Renewal]]:
    for part in chunked(sorted(set(person_ids)), CHUNK):
        for person_id, fy, method, period, deadline in Reminder.objects.filter(
            person_id__in=part
        ).values_list("person_id", "fiscal_year", "instalment__method", "period", "deadline"):
            renewal = rules.renewal_of(rules.Act.REMINDER, deadline, [claim_key(fy, method, period)])
            if renewal is not None:
                yield person_id, renewal
        named: dict[int, list[ClaimKey]] = defaultdict(list)
        for pledge_id, fy, method, period in PledgedInstalment.objects.filter(
            pledge__person_id__in=part
        ).values_list("pledge_id", "fiscal_year", "method", "period"):
            named[pledge_id].append(claim_key(fy, method, period))
        for pledge_id, person_id, made_on in PaymentPledge.objects.filter(person_id__in=part).values_list(
            "pk", "person_id", "made_on"
        ):
            renewal = rules.renewal_of(rules.Act.PLEDGE, made_on, named.get(pledge_id))
            if renewal is not None:
                yield person_id, renewal
