from unittest import mock

import pytest

from distribution.delivery import delivery_attempt, delivery_transition
from distribution.models import Delivery, DeliveryStatus
from distribution.services import delivery_record_download, publication_distribute
from tests.two_factor import force_login_verified

from .helpers import lists_with_contacts, publication


def distribute(**kwargs):
    with mock.patch("distribution.tasks.dispatch_fan_out.delay"):
        return publication_distribute(publication=publication(**kwargs))


@pytest.fixture
def dispatch(db):
    lists_with_contacts(report=2, send=2)
    return distribute()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("editor", 200),
        ("reviewer", 200),
        ("signer", 200),
        ("administrator", 200),
        ("secretary_a", 404),
        ("recipient", 404),
    ],
)
def test_only_office_staff_see_a_dispatch(client, request, dispatch, who, status):
    force_login_verified(client, request.getfixturevalue(who))
    assert client.get(f"/distribution/{dispatch.pk}/").status_code == status
    assert client.get(f"/distribution/{dispatch.pk}/progress/").status_code == status
    index = client.get("/distribution/")
    assert index.status_code == (200 if status == 200 else 403)


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login(client, dispatch):
    response = client.get(f"/distribution/{dispatch.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["reviewer", "signer"])
def test_reviewers_and_signers_may_look_but_not_resend(client, request, dispatch, who):
    delivery = dispatch.deliveries.first()
    delivery_attempt(delivery_id=delivery.pk)
    force_login_verified(client, request.getfixturevalue(who))
    page = client.get(f"/distribution/{dispatch.pk}/").content.decode()
    assert "重发</button>" not in page
    base = f"/distribution/{dispatch.pk}/deliveries/{delivery.pk}"
    for action in ("resend", "revoke", "reissue"):
        assert client.post(f"{base}/{action}/").status_code == 403
    assert client.post(f"/distribution/{dispatch.pk}/resend-failed/").status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.link_revoked_at is None


@pytest.mark.django_db
def test_a_delivery_of_another_dispatch_is_404(client, editor, dispatch):
    other = distribute()
    stranger = other.deliveries.first()
    client.force_login(editor)
    response = client.post(f"/distribution/{dispatch.pk}/deliveries/{stranger.pk}/revoke/")
    assert response.status_code == 404
    assert Delivery.objects.get(pk=stranger.pk).link_revoked_at is None


@pytest.mark.django_db
def test_the_progress_fragment_polls_every_two_seconds_until_done(client, editor, dispatch):
    client.force_login(editor)
    url = f"/distribution/{dispatch.pk}/progress/"
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in fragment and 'data-done="false"' in fragment
    assert 'data-count="sent">0<' in fragment and 'data-count="waiting">12<' in fragment
    deliveries = list(dispatch.deliveries.order_by("pk"))
    for delivery in deliveries[:5]:
        delivery_attempt(delivery_id=delivery.pk)
    fragment = client.get(url).content.decode()
    assert 'data-count="sent">5<' in fragment and "hx-trigger" in fragment
    for delivery in deliveries[5:-1]:
        delivery_attempt(delivery_id=delivery.pk)
    delivery_transition(delivery_id=deliveries[-1].pk, action="claim")
    delivery_transition(
        delivery_id=deliveries[-1].pk, action="fail", detail="邮件服务器拒收该地址（550）"
    )
    fragment = client.get(url).content.decode()
    assert "hx-trigger" not in fragment and 'data-done="true"' in fragment
    assert 'data-count="failed" class="error-text">1<' in fragment and "已完成" in fragment
    page = client.get(f"/distribution/{dispatch.pk}/").content.decode()
    assert "重发全部失败的邮件" in page and "邮件服务器拒收该地址（550）" in page


@pytest.mark.django_db
def test_the_editor_sees_who_opened_the_issue_per_list(client, editor, dispatch):
    for delivery in dispatch.deliveries.all():
        delivery_attempt(delivery_id=delivery.pk)
    opened = dispatch.deliveries.get(email="r1@example.org")
    delivery_record_download(delivery=opened)
    client.force_login(editor)
    page = client.get(f"/distribution/{dispatch.pk}/").content.decode()
    assert "报：已签收 1 / 6" in page and "送：已签收 0 / 6" in page
    opened_list = page.split('data-list="report-opened"')[1].split("</ul>")[0]
    assert "科技部 · 报1" in opened_list and "报0" not in opened_list
    not_opened = page.split('data-list="report-not-opened"')[1].split("</ul>")[0]
    assert "科技部 · 报0" in not_opened and "报1" not in not_opened
    # The filter narrows the log to those who have not opened it yet.
    filtered = client.get(f"/distribution/{dispatch.pk}/", {"opened": "no", "list_kind": "report"})
    rows = filtered.content.decode().split("逐人发送记录")[1]
    assert (
        "r0@example.org" in rows and "r1@example.org" not in rows and "s0@example.org" not in rows
    )


@pytest.mark.django_db
def test_the_editor_resends_one_and_all_failed_from_the_page(
    client, editor, dispatch, django_capture_on_commit_callbacks
):
    deliveries = list(dispatch.deliveries.order_by("pk"))
    for delivery in deliveries:
        delivery_transition(delivery_id=delivery.pk, action="claim")
        delivery_transition(delivery_id=delivery.pk, action="fail", detail="无法连接邮件服务器")
    client.force_login(editor)
    with (
        mock.patch("distribution.queueing.queue_send") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            f"/distribution/{dispatch.pk}/deliveries/{deliveries[0].pk}/resend/",
            {"next": f"/distribution/{dispatch.pk}/?status=failed"},
        )
        assert response.status_code == 302 and response["Location"].endswith("?status=failed")
        response = client.post(
            f"/distribution/{dispatch.pk}/resend-failed/", {"next": "https://evil.example/"}
        )
        assert response["Location"] == f"/distribution/{dispatch.pk}/"  # no open redirect
    assert queued.call_count == len(deliveries)
    assert not dispatch.deliveries.filter(status=DeliveryStatus.FAILED).exists()
    page = client.get(f"/distribution/{dispatch.pk}/").content.decode()
    assert "已安排向 11 位发送失败的接收人重新发送" in page


@pytest.mark.django_db
def test_list_pages_keep_their_query_count_bounded(
    client, editor, administrator, django_assert_max_num_queries
):
    lists_with_contacts(report=60, send=60)
    dispatches = [distribute() for _ in range(3)]
    for delivery in dispatches[0].deliveries.all()[:40]:
        delivery_attempt(delivery_id=delivery.pk)
        delivery_record_download(delivery=delivery)
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        assert client.get(f"/distribution/{dispatches[0].pk}/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/distribution/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/distribution/{dispatches[0].pk}/progress/").status_code == 200
    force_login_verified(client, administrator)
    with django_assert_max_num_queries(12):
        assert client.get("/distribution/lists/").status_code == 200


@pytest.mark.django_db
def test_the_lists_page_shows_the_printed_lines(client, editor):
    lists_with_contacts(report=1, send=0)
    client.force_login(editor)
    page = client.get("/distribution/lists/").content.decode()
    assert "报：科技部、发展改革委、" in page and "送：各试点产业技术创新战略联盟、" in page
    assert "导入联系人" not in page  # editors see the lists; administrators manage them
    nav = client.get("/").content.decode()
    assert 'href="/distribution/"' in nav and 'href="/archive/"' in nav
