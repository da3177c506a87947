import pytest
from django.db import transaction
from django.test import Client, override_settings

from tests.seeds import SEEDS
from tests.two_factor import force_login_verified

from .world import ROLES, build_world


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for the whole folder, in a transaction rolled back at its end. Each test
    still gets its own savepoint (``django_db``), and each request of the matrix another
    (see ``answer``), so nothing a request writes reaches the next."""
    media = tmp_path_factory.mktemp("security-media")
    with (
        override_settings(
            MEDIA_ROOT=media,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            SITE_URL="http://testserver",
        ),
        django_db_blocker.unblock(),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            w = build_world(import_token_for=upload_for_import)
            w.clients = clients_for(w.users)
            yield w
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def clients_for(users, **client_kwargs):
    clients = {}
    for role in ROLES:
        client = Client(**client_kwargs)
        if users[role] is not None:
            # Signed in as after both login steps: signers and administrators have an
            # authenticator and a verified session (tests/two_factor.py).
            force_login_verified(client, users[role])
        clients[role] = client
    return clients


def upload_for_import(user) -> str:
    """Upload a seed bulletin to the importer as ``user``; the preview token it gets."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    seed = sorted(SEEDS.glob("001_*.txt"))[0]
    client = Client()
    client.force_login(user)
    response = client.post(
        "/issues/import/", {"file": SimpleUploadedFile(seed.name, seed.read_bytes())}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]
