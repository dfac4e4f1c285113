"""Each person's language: the switcher on every page, the choice kept on the profile, and what is written
to people — notifications and their e-mails — in each reader's own language."""

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _

from core.i18n import in_each_readers_language
from directory.forms import ProfileForm
from directory.models import Profile
from directory.profiles import profile_of
from notifications.models import Notification
from notifications.services import notify
from tests.conftest import make_profile, organization, signed_in
from tests.pages import parse
from tests.permission_matrix import form_body

pytestmark = pytest.mark.django_db

SIX = ["en", "fr", "es", "ru", "zh-hans", "ar"]


def switcher(response) -> dict[str, str]:
    """The languages the page's switcher offers: code → the name shown."""
    page = parse(response)
    return {button.attrs["value"]: button.text() for button in page.all("button", name="language")}


def html_tag(response):
    return parse(response).first("html").attrs


def test_the_sign_in_page_offers_the_six_languages_each_named_in_itself(client, compact):
    # given a visitor on the sign-in page
    response = client.get("/accounts/login/")

    # then its switcher offers the six UN languages, each in its own words
    offered = switcher(response)
    assert list(offered) == SIX
    assert offered["fr"] == "français"
    assert offered["ar"] == "العربيّة"
    assert offered["zh-hans"] == "简体中文"


def test_a_visitor_who_chooses_arabic_reads_right_to_left(client, compact):
    # when a visitor chooses Arabic on the sign-in page
    response = client.post("/language/", {"language": "ar", "next": "/accounts/login/"})

    # then they are back on the page, in Arabic, right to left, with Bootstrap's right-to-left build
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.cookies["django_language"].value == "ar"
    page = client.get("/accounts/login/")
    assert html_tag(page) == {"lang": "ar", "dir": "rtl"}
    assert page["Content-Language"] == "ar"
    assert "bootstrap.rtl.min.css" in page.content.decode()
    assert "تسجيل الدخول" in page.content.decode()  # "Sign in", from the Arabic catalog


def test_a_language_not_offered_changes_nothing_and_says_so(client, compact):
    # when the form is tampered with
    response = client.post("/language/", {"language": "xx", "next": "/accounts/login/"}, follow=True)

    # then the page comes back as it was, with a message, and no language is remembered
    assert response.status_code == 200
    assert "This language is not offered" in response.content.decode()
    assert "django_language" not in client.cookies
    assert html_tag(response)["lang"] == "en"


def test_the_switcher_leads_back_to_the_page_it_was_used_on(client, compact):
    response = client.post("/language/", {"language": "fr"}, HTTP_REFERER="http://testserver/access/request/")
    assert response["Location"] == "http://testserver/access/request/"


def test_the_way_back_never_leaves_the_platform(client, compact):
    response = client.post("/language/", {"language": "fr", "next": "https://evil.example/phish"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_a_signed_in_persons_choice_follows_them_to_another_browser(compact, focal_point):
    # given a focal point who chooses French on one browser
    signed_in(focal_point).post("/language/", {"language": "fr", "next": "/home/"})
    assert Profile.objects.get(user=focal_point).language == "fr"

    # when they sign in on another browser that asks for English
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(focal_point)
    page = other.get("/home/")

    # then the platform speaks French to them
    assert page["Content-Language"] == "fr"
    assert html_tag(page)["lang"] == "fr"


def test_without_a_choice_the_browsers_language_is_used(compact, focal_point):
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(focal_point)
    assert client.get("/home/")["Content-Language"] == "es"


def test_the_profile_form_sets_the_language_from_the_next_page_on(compact, focal_point):
    # given a person editing their profile in English
    client = signed_in(focal_point)
    form = ProfileForm(instance=profile_of(focal_point), person=focal_point)
    assert client.get("/home/")["Content-Language"] == "en"

    # when they choose Russian there
    response = client.post(f"/people/{focal_point.pk}/edit/", form_body(form, language="ru"))

    # then it is kept, and their next page is in Russian
    assert response.status_code == 302
    assert Profile.objects.get(user=focal_point).language == "ru"
    assert client.get("/home/")["Content-Language"] == "ru"


def test_the_profile_form_refuses_a_language_not_offered(compact, focal_point):
    client = signed_in(focal_point)
    form = ProfileForm(instance=profile_of(focal_point), person=focal_point)
    response = client.post(f"/people/{focal_point.pk}/edit/", form_body(form, language="klingon"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Profile.objects.get(user=focal_point).language == ""


def test_one_notification_reads_in_each_recipients_language(
    compact, make_user, django_capture_on_commit_callbacks
):
    # given a French-speaking and an Arabic-speaking focal point, and one who chose nothing
    french = make_user("fr@example.org", organization=organization("entity:UNODC"), full_name="Fleur Dupont")
    arabic = make_user("ar@example.org", organization=organization("entity:UNODC"), full_name="Amal Haddad")
    english = make_user("en@example.org", organization=organization("entity:UNODC"), full_name="Ed Jones")
    make_profile(user=french, language="fr")
    make_profile(user=arabic, language="ar")

    # when something happens that concerns all three (whoever caused it, in whatever language)
    def subject():
        return _("You help manage %(wg)s") % {"wg": "WG 2"}

    with translation.override("ru"), django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[french, arabic, english],
            subject=in_each_readers_language(subject),
            body="",
            url="/home/",
        )

    # then each reads the notification in their own language
    expected = {}
    for person, language in ((french, "fr"), (arabic, "ar"), (english, "en")):
        with translation.override(language):
            expected[person.pk] = subject()
    assert len(set(expected.values())) == 3, "the catalogs translate the message"
    assert {n.recipient_id: n.subject for n in Notification.objects.all()} == expected

    # and so does its e-mail, greeting and footer included
    sent = {message.to[0]: message for message in mail.outbox}
    with translation.override("fr"):
        greeting = _("Dear %(name)s,") % {"name": "Fleur"}
    assert greeting != "Dear Fleur,"
    assert sent["fr@example.org"].subject == expected[french.pk]
    assert greeting in sent["fr@example.org"].body
    assert "Dear Ed," in sent["en@example.org"].body
