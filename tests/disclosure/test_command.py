"""`kouki disclosure` (issue 15 §3): register, decide, approve (four-eyes), package; list and worklist."""

from __future__ import annotations

from pathlib import Path

import pytest
from documents.pdftools import pdffonts
from factories import make_staff
from web.conftest import Family, Numbers

from kouki.accounts.permissions import Role
from kouki.cli import main
from kouki.disclosure.models import DisclosureRequest, RequestState
from kouki.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_register_decide_approve_and_package_from_the_command_line(
        family: Family, numbers: Numbers, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clerk = make_staff(Role.COUNTER_CLERK, username="kaiji.clerk").user.username
    boss = make_staff(Role.SUPERVISOR, username="kaiji.boss").user.username
    other = make_staff(Role.SUPERVISOR, username="kaiji.boss2").user.username
    assert main(["disclosure", "register", "--kind", "disclosure", "--addressee-no", family.taro.addressee_no,
                 "--content", "保有する個人情報の全部", "--document", "drivers_licence", "--method", "copy",
                 "--as", clerk]) == 0
    request = DisclosureRequest.objects.get()
    assert main(["disclosure", "decide", str(request.pk), "--decision", "disclose", "--as", boss]) == 0
    assert main(["disclosure", "approve", str(request.pk), "--as", clerk]) == 3  # no approval permission
    assert main(["disclosure", "approve", str(request.pk), "--as", boss]) == 2  # prepared it: four-eyes
    assert "作成した職員は承認できません" in capsys.readouterr().err
    assert DisclosureRequest.objects.get().state == RequestState.PREPARED
    assert main(["disclosure", "approve", str(request.pk), "--as", other]) == 0
    assert main(["disclosure", "list", "--as", clerk]) == 0
    assert main(["disclosure", "package", str(request.pk), "--out", str(tmp_path), "--as", clerk]) == 0
    out = capsys.readouterr().out
    assert request.request_no in out and "pages:" in out and "fee:" in out
    assert numbers.taro not in out and "山田" not in out  # no name, no number
    (pdf,) = tmp_path.glob("*.pdf")
    assert all(f["emb"] == "yes" for f in pdffonts(pdf))
    assert DisclosureRequest.objects.get().state == RequestState.DONE
    actors = dict(AuditEntry.objects.filter(action__startswith="disclosure").values_list("action", "actor"))
    assert actors["disclosure_request.receive"] == clerk and actors["disclosure_decision.approve"] == other


def test_a_refused_register_says_why_and_changes_nothing(family: Family,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    clerk = make_staff(Role.COUNTER_CLERK, username="kaiji.clerk").user.username
    assert main(["disclosure", "register", "--kind", "disclosure", "--addressee-no", family.taro.addressee_no,
                 "--content", "全部", "--document", "drivers_licence", "--method", "view",
                 "--requester", "delegate", "--agent-name", "山田 一郎", "--authority", "power_of_attorney",
                 "--agent-document-on", "2000-01-01", "--as", clerk]) == 2
    err = capsys.readouterr().err
    assert "agent_document_on" in err and "30日以内" in err and "nothing was done" in err
    assert not DisclosureRequest.objects.exists()
