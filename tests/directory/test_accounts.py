import pytest
from django.core.cache import cache
from django.contrib.auth.models import Group
from core.models import SecurityEvent
from directory.models import User
from tests.conftest import organization, totp_code, enrol_totp


@pytest.fixture(autouse=True)
def _clear():
    cache.clear()


def test_probe_login(client, compact, make_user):
    user = make_user("fp@example.org", organization=organization("entity:UNODC"))
    r = client.post("/accounts/login/", {"login": "fp@example.org", "password": "a-long-test-password"})
    print("LOGIN", r.status_code, r.get("Location"))
    r = client.get(r["Location"])
    print("MFA page", r.status_code, r.content.decode()[-3000:])


def test_probe_lockout(client, compact, make_user):
    user = make_user("fp@example.org", organization=organization("entity:UNODC"))
    for i in range(7):
        pw = "wrong" if i < 5 else "a-long-test-password"
        r = client.post("/accounts/login/", {"login": "fp@example.org", "password": pw})
        body = r.content.decode()
        import re
        print(i, r.status_code, r.get("Location"), [t.name for t in (r.templates or [])][:2], re.findall(r'alert[^>]*>(.*?)</div>', body, re.S)[:2])
    print(list(SecurityEvent.objects.values_list("kind", "login")))


def test_probe_enrol(client, compact, make_user):
    user = make_user("fp@example.org", organization=organization("entity:UNODC"), mfa=False)
    r = client.post("/accounts/login/", {"login": "fp@example.org", "password": "a-long-test-password"})
    print("LOGIN", r.status_code, r.get("Location"))
    r = client.get("/home/")
    print("HOME", r.status_code, r.get("Location"))
    r = client.get("/accounts/2fa/totp/activate/")
    print("ACT", r.status_code, r.get("Location"), client.session.get("mfa.totp.secret"))
    secret = client.session["mfa.totp.secret"]
    r = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    print("POST", r.status_code, r.get("Location"))
    r = client.get("/home/")
    print("HOME", r.status_code, r.get("Location"))
