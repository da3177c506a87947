import pytest
from django.core.exceptions import ValidationError

from distribution.demo import load_distribution_lists
from distribution.models import Contact, DistributionList, ListKind, Organisation
from distribution.selectors import printed_lines, printed_lists
from distribution.services import contact_add, contact_set_active, organisation_add
from tests.seeds import MD_SEED

SEED = MD_SEED
SEED_REPORT = (
    "报：科技部、发展改革委、财政部、教育部、工业和信息化部、人力资源和社会保障部、农业农村部、"
    "人民银行、国资委、税务总局、中科院、工程院、全国总工会、全国工商联、国家开发银行相关司局及部门"
)
SEED_SEND = "送：各试点产业技术创新战略联盟、联盟协发网成员单位、有关地方科技厅（局）"


@pytest.mark.django_db
def test_the_printed_lines_come_from_the_lists_and_match_the_seed_bulletin():
    load_distribution_lists()
    assert printed_lines() == (SEED_REPORT, SEED_SEND)
    text = SEED.read_text(encoding="utf-8")  # the very lines of 2023年第1期（总第66期）
    assert SEED_REPORT in text and SEED_SEND in text
    lines = printed_lists()
    assert lines.report_to.startswith("科技部、") and not lines.report_to.startswith("报")


@pytest.mark.django_db
def test_the_printed_lines_follow_changes_to_the_lists(django_assert_max_num_queries):
    load_distribution_lists()
    report = DistributionList.objects.get(kind=ListKind.REPORT)
    organisation_add(distribution_list=report, name="国家知识产权局")
    Organisation.objects.filter(name="教育部").update(is_active=False)
    with django_assert_max_num_queries(2):
        report_line, _send_line = printed_lines()
    assert "、教育部、" not in report_line
    assert report_line.endswith("国家开发银行、国家知识产权局相关司局及部门")


@pytest.mark.django_db
def test_demo_lists_load_once_and_keep_history():
    load_distribution_lists()
    load_distribution_lists()
    assert Organisation.objects.filter(distribution_list__kind=ListKind.REPORT).count() == 15
    assert Organisation.objects.filter(distribution_list__kind=ListKind.SEND).count() == 3
    assert Contact.objects.filter(email__endswith="@example.org").count() == 8
    contact = Contact.objects.get(email="fgw@example.org")
    contact_set_active(contact=contact, is_active=False)
    assert [h.is_active for h in contact.history.order_by("history_date")] == [True, False]


@pytest.mark.django_db
def test_an_organisation_is_on_a_list_once():
    load_distribution_lists()
    report = DistributionList.objects.get(kind=ListKind.REPORT)
    with pytest.raises(ValidationError, match="已在"):
        organisation_add(distribution_list=report, name=" 科技部 ")
    with pytest.raises(ValidationError, match="为空"):
        organisation_add(distribution_list=report, name="  ")


@pytest.mark.django_db
def test_contacts_are_checked_and_normalised():
    load_distribution_lists()
    org = Organisation.objects.get(name="财政部")
    contact = contact_add(organisation=org, name=" 钱会计 ", email=" Qian@MOF.Example.ORG ")
    assert (contact.name, contact.email) == ("钱会计", "Qian@mof.example.org")
    with pytest.raises(ValidationError) as error:
        contact_add(organisation=org, name="钱会计", email="qian@mof.example.org".replace("q", "Q"))
    assert "已有使用" in error.value.message_dict["email"][0]
    with pytest.raises(ValidationError) as error:
        contact_add(organisation=org, name="", email="=cmd@example.org")
    assert set(error.value.message_dict) == {"name", "email"}
