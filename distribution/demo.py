"""Demo data: the 报 and 送 lists as printed in the seed bulletins, with a few contacts."""

from core.demo import demo_loader

from .models import ListKind, Organisation
from .services import contact_add, distribution_list_ensure, organisation_add

# 2023年第1期（总第66期）, end matter.
REPORT_TO = [
    "科技部",
    "发展改革委",
    "财政部",
    "教育部",
    "工业和信息化部",
    "人力资源和社会保障部",
    "农业农村部",
    "人民银行",
    "国资委",
    "税务总局",
    "中科院",
    "工程院",
    "全国总工会",
    "全国工商联",
    "国家开发银行",
]
REPORT_SUFFIX = "相关司局及部门"
SEND_TO = ["各试点产业技术创新战略联盟", "联盟协发网成员单位", "有关地方科技厅（局）"]

DEMO_CONTACTS = [
    ("科技部", "张成果", "kjb-cgs@example.org"),
    ("发展改革委", "李规划", "fgw@example.org"),
    ("财政部", "王经费", "czb@example.org"),
    ("工业和信息化部", "赵产业", "gxb@example.org"),
    ("各试点产业技术创新战略联盟", "化纤联盟秘书处", "huaxian-mishu@example.org"),
    ("各试点产业技术创新战略联盟", "粉末冶金联盟秘书处", "fenmo-mishu@example.org"),
    ("联盟协发网成员单位", "协发网秘书处", "citisa-net@example.org"),
    ("有关地方科技厅（局）", "北京市科委联络员", "bj-kw@example.org"),
]


@demo_loader
def load_distribution_lists():
    report = distribution_list_ensure(
        kind=ListKind.REPORT, title="报送单位", printed_suffix=REPORT_SUFFIX
    )
    send = distribution_list_ensure(kind=ListKind.SEND, title="送达单位")
    for dist_list, names in ((report, REPORT_TO), (send, SEND_TO)):
        have = set(dist_list.organisations.values_list("name", flat=True))
        for position, name in enumerate(names, start=1):
            if name not in have:
                organisation_add(distribution_list=dist_list, name=name, position=position)
    for org_name, person, email in DEMO_CONTACTS:
        organisation = Organisation.objects.get(name=org_name)
        if not organisation.contacts.filter(email=email).exists():
            contact_add(organisation=organisation, name=person, email=email)
