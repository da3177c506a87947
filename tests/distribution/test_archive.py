from datetime import date
from unittest import mock

import pytest
from django.db import connection

from accounts.services import user_create
from distribution import search
from distribution.models import ArchiveEntry
from distribution.services import publication_distribute
from tests.seeds import SEEDS

from .helpers import document, lists_with_contacts, publication


def publish(**kwargs):
    with mock.patch("distribution.tasks.dispatch_fan_out.delay"):
        return publication_distribute(publication=publication(**kwargs))


@pytest.fixture
def issues(db):
    """Three archived issues over two volume years."""
    lists_with_contacts(report=1, send=0)
    publish(
        issue_id=1, doc=document(year=2022, number=3, cumulative=62, issued_on=date(2022, 6, 1))
    )
    publish(
        issue_id=2,
        doc=document(
            year=2023,
            number=1,
            cumulative=66,
            extra_item="肿瘤微创治疗联盟共建北京市中西医肿瘤微创医学中心",
        ),
    )
    publish(
        issue_id=3,
        doc=document(
            year=2023,
            number=6,
            cumulative=71,
            issued_on=date(2024, 1, 10),  # the volume year is not the year of issue
            extra_item="应急救援装备联盟向国家消防救援局局长汇报工作",
        ),
    )


def ids(queryset):
    return sorted(queryset.values_list("issue_id", flat=True))


@pytest.mark.django_db
def test_search_text_is_jieba_terms_between_spaces(issues):
    entry = ArchiveEntry.objects.get(issue_id=2)
    assert entry.search_text.startswith(" ") and entry.search_text.endswith(" ")
    for term in (" 碳中和 ", " 中和 ", " 半导体 ", " 第三代 ", " 肿瘤 ", " 协发网 "):
        assert term in entry.search_text
    assert "<p>" not in entry.search_text and "alert" not in entry.search_text  # text only


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("碳中和", [1, 2, 3]),
        ("肿瘤微创", [2]),
        ("消防救援局", [3]),
        ("第三代半导体论坛", [1, 2, 3]),
        ("半导体 消防", [3]),  # every term must match
        ("碳化硅", [1, 2, 3]),  # inside a body, inside <strong>
        ("量子计算", []),
        ("！？。", []),  # no words
        ("", []),
    ],
)
def test_chinese_full_text_search(issues, query, expected):
    assert ids(search.search(ArchiveEntry.objects.all(), query)) == expected


@pytest.mark.django_db
def test_search_uses_the_database_full_text_index_on_postgresql(issues):
    sql = str(search.search(ArchiveEntry.objects.all(), "碳中和").query)
    if connection.vendor == "postgresql":
        assert "to_tsvector" in sql and "plainto_tsquery" in sql
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'distribution_archive_search_gin'"
            )
            (indexdef,) = cursor.fetchone()
        assert "gin" in indexdef and "to_tsvector('simple'::regconfig" in indexdef
    else:
        assert "LIKE" in sql and "% 碳中和 %" in sql


@pytest.mark.django_db
def test_the_archive_is_private_by_default(client, issues, recipient, settings):
    settings.CITISA_ARCHIVE_PUBLIC = False
    for url in ("/archive/", "/archive/2/", "/archive/2/pdf"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    nobody = user_create(username="norole", password=None)
    client.force_login(nobody)
    assert client.get("/archive/2/").status_code == 404
    client.force_login(recipient)
    assert client.get("/archive/").status_code == 200


@pytest.mark.django_db
def test_a_public_archive_opens_to_everyone(client, issues, settings):
    settings.CITISA_ARCHIVE_PUBLIC = True
    page = client.get("/archive/")
    assert page.status_code == 200
    pdf = client.get("/archive/3/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert client.get("/archive/999/").status_code == 404


@pytest.mark.django_db
def test_the_archive_lists_issues_by_volume_year_and_searches(
    client, issues, recipient, django_assert_max_num_queries
):
    client.force_login(recipient)
    with django_assert_max_num_queries(8):
        page = client.get("/archive/").content.decode()
    assert page.index("2023年") < page.index("2022年")
    assert page.index("2023年第6期（总第71期）") < page.index("2023年第1期（总第66期）")
    assert "2024年1月10日印发" in page
    page = client.get("/archive/", {"year": 2022}).content.decode()
    assert "2022年第3期（总第62期）" in page and "2023年第1期" not in page
    with django_assert_max_num_queries(8):
        page = client.get("/archive/", {"q": "肿瘤微创"}).content.decode()
    assert "找到 1 期" in page and "2023年第1期（总第66期）" in page
    assert "肿瘤微创治疗联盟共建北京市中西医肿瘤微创医学中心" in page  # the matching item
    page = client.get("/archive/", {"q": "量子计算"}).content.decode()
    assert "没有找到包含“量子计算”的简报" in page
    assert client.get("/archive/", {"year": "abc"}).status_code == 200


@pytest.mark.django_db
def test_the_web_edition_comes_from_the_renderer_and_shows_only_its_own_images(
    client, recipient, settings
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    lists_with_contacts(report=1, send=0)
    png = b"\x89PNG\r\n\x1a\nfake"
    picture = default_storage.save("bulletins/images/forum.png", ContentFile(png))
    other = default_storage.save("bulletins/images/secret.png", ContentFile(png))
    doc = document(extra_item="论坛现场")
    doc.sections[2].items[
        -1
    ].body_html = (
        f'<p>论坛现场</p><p><img src="{picture}" alt="论坛现场"></p><script>alert(2)</script>'
    )
    publish(issue_id=5, doc=doc)
    client.force_login(recipient)
    page = client.get("/archive/5/").content.decode()
    assert "2023年第1期（总第66期）" in page and "本期导读" in page
    assert (
        "<strong>碳化硅</strong>" in page
        and "第三代半导体联盟主办第八届国际第三代半导体论坛" in page
    )
    assert "<script>" not in page and "alert(" not in page  # bodies sanitised again
    image_url = f"/archive/5/media/{picture}"
    assert f'src="{image_url}"' in page
    image = client.get(image_url)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert client.get(f"/archive/5/media/{other}").status_code == 404  # not in this issue
    assert client.get("/archive/5/media/../../etc/passwd").status_code == 404
    client.logout()
    assert client.get(image_url).status_code == 302  # private archive: log in first


@pytest.mark.django_db
def test_reindex_rebuilds_the_terms(issues):
    from django.core.management import call_command

    ArchiveEntry.objects.update(search_text="")
    assert ids(search.search(ArchiveEntry.objects.all(), "碳中和")) == []
    call_command("archive_reindex", verbosity=0)
    assert ids(search.search(ArchiveEntry.objects.all(), "碳中和")) == [1, 2, 3]


@pytest.mark.django_db
def test_search_over_the_seed_bulletins(client, recipient):
    from bulletins.importer import parse_bulletin

    lists_with_contacts(report=1, send=0)
    seeds = {
        "000_3c4e9bca0ea1bc2a.txt": {
            "year": 2022,
            "number": 6,
            "cumulative": 65,
            "issued_on": date(2023, 1, 10),
        },
        "001_43b922eb2f5a3b2f.txt": {},
        "002_e4fc3f663f46f59c.txt": {},
    }
    for issue_id, (name, options) in enumerate(seeds.items(), start=1):
        text = (SEEDS / name).read_text(encoding="utf-8")
        publish(issue_id=issue_id, doc=parse_bulletin(text, **options).document)
    lines = dict(ArchiveEntry.objects.values_list("issue_id", "issue_line"))
    assert lines == {
        1: "2022年第6期（总第65期）",
        2: "2023年第1期（总第66期）",
        3: "2022年第3期（总第62期）",
    }
    everything = ArchiveEntry.objects.all()
    assert ids(search.search(everything, "快堆")) == [2]
    assert ids(search.search(everything, "钒钛联盟")) == [1]
    # Every term anywhere in the issue, not the phrase: 2022年第6期 speaks of 活跃度 and of
    # 评价 and 报告 in other items.
    assert ids(search.search(everything, "活跃度评价报告")) == [1, 3]
    assert ids(search.search(everything, "活跃度 颁发 荣誉证书")) == [3]
    assert ids(search.search(everything, "揭榜挂帅 快堆")) == [2]
    assert ids(search.search(everything, "碳中和")) == [1, 2, 3]
    client.force_login(recipient)
    page = client.get("/archive/", {"q": "快堆"}).content.decode()
    assert "吴家喜副司长应邀出席快堆产业技术创新战略联盟第九次成员大会" in page


@pytest.mark.django_db
def test_recipient_home_lists_the_newest_archived_issues(client, recipient):
    from distribution.models import ArchiveEntry

    ArchiveEntry.objects.create(
        issue_id=901,
        version_id=1,
        volume_year=2023,
        number=1,
        cumulative_number=66,
        issue_line="2023年第1期（总第66期）",
        issued_on="2023-03-20",
        document={},
        pdf_name="x.pdf",
    )
    client.force_login(recipient)
    body = client.get("/").content.decode()
    assert "2023年第1期（总第66期）" in body
    assert "/archive/901/pdf" in body
