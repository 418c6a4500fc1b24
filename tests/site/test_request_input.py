"""Input no browser sends gets a clear 400, never a 500 or 503, on every view and database.

NUL bytes made PostgreSQL refuse the query mid-view (a 503 and an email to the admins each
time); too many parameters and undecodable charsets broke the error reporter itself.
"""

import sys
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django.asserts import assertContains

from programs.models import ChangeRequest
from recovery_directory.reporting import PrivateExceptionReporter
from referrals.models import Referral
from tests.factories import make_center, make_meeting, make_program, referral_form_data

pytestmark = pytest.mark.django_db

CONTROL = ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f"]
CONTROL_IDS = ["nul", "soh", "backspace", "vtab", "escape", "delete"]
GENERAL = "invisible control characters"
FIELD = "Remove the invisible control characters from this answer"


@pytest.fixture
def client():
    # Any exception would otherwise be re-raised into the test; a 500 must show as a 500.
    return Client(raise_request_exception=False)


@pytest.fixture
def listings():
    return make_program(slug="sunrise"), make_center(slug="hilltop")


@pytest.mark.parametrize("char", CONTROL, ids=CONTROL_IDS)
@pytest.mark.parametrize(
    "url",
    [
        "/get-help/?program=sun{c}rise",
        "/get-help/?center=hill{c}top",
        "/get-help/?listing=program:x{c}",
        "/?q={c}",
        "/meetings/?q=a{c}b",
        "/programs/?kind=twelve_step&near=Columbus{c}",
        "/treatment-centres/?page=1{c}",
        "/api/hsds/services/?page={c}",
        "/meetings.json?x{c}=1",
        "/admin/login/?next=/admin/{c}",
    ],
)
def test_control_characters_in_a_query_string_are_a_clear_400(client, listings, char, url):
    response = client.get(url.format(c=char))
    assert response.status_code == 400
    assertContains(response, GENERAL, status_code=400)
    assertContains(response, 'href="tel:988"', status_code=400)
    assert "no-store" in response["Cache-Control"]
    assert mail.outbox == []


@pytest.mark.parametrize("text", ["a\tb", "line\nbreak", "crlf\r\n", "é ü ß 漢字"])
def test_ordinary_characters_pass(client, text):
    assert client.get("/meetings/", {"q": text}).status_code == 200


@pytest.mark.parametrize("char", CONTROL, ids=CONTROL_IDS)
@pytest.mark.parametrize("field", ["first_name", "message", "organisation", "phone", "email"])
def test_the_referral_form_names_the_answer_that_holds_one(client, char, field):
    data = referral_form_data(requester="professional", organisation="Clinic")
    data[field] = f"ab{char}cd"
    response = client.post("/get-help/", data)
    assert response.status_code == 400
    assertContains(response, FIELD, status_code=400)
    assertContains(response, 'class="error-summary"', status_code=400)
    assert not Referral.objects.exists()


@pytest.mark.parametrize("field", ["listing", "requester", "contact_method", "best_time"])
def test_a_nul_in_a_choice_of_the_referral_form_is_a_form_error(client, listings, field):
    data = referral_form_data(listing="program:sunrise")
    data[field] = data.get(field, "") + "\x00"
    response = client.post("/get-help/", data)
    assert response.status_code == 400
    assertContains(response, 'class="error-summary"', status_code=400)
    assert not Referral.objects.exists()


def test_the_report_form_names_the_answer_that_holds_one(client, listings):
    url = reverse("programs:report_problem", args=["program", "sunrise"])
    response = client.post(url, {"problem": "closed", "details": "gone\x00"})
    assert response.status_code == 400
    assertContains(response, FIELD, status_code=400)
    assert not ChangeRequest.objects.exists()


def test_a_report_with_a_nul_meeting_is_a_form_error(client, listings):
    meeting = make_meeting(program=listings[0])
    url = reverse("programs:report_problem", args=["program", "sunrise"])
    response = client.post(url, {"problem": "closed", "meeting": f"{meeting.pk}\x00"})
    assert response.status_code == 400
    assertContains(response, 'id="id_meeting_error"', status_code=400)
    assert not ChangeRequest.objects.exists()


def test_control_characters_posted_elsewhere_are_a_clear_400(client):
    response = client.post(reverse("admin:login"), {"username": "ad\x00min", "password": "x"})
    assert response.status_code == 400
    assertContains(response, GENERAL, status_code=400)


# --- Requests Django cannot parse -------------------------------------------------------------


def test_too_many_query_parameters_are_a_clear_400(client, settings):
    query = "&".join(f"p{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    for url in ("/meetings/", "/get-help/", "/admin/login/"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, url
        assertContains(response, "too many parts", status_code=400)
    assert mail.outbox == []


def test_too_many_form_fields_are_a_clear_400(client, settings):
    body = "&".join(f"p{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client.generic(
        "POST", "/get-help/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assertContains(response, "too many parts", status_code=400)


def test_too_many_files_are_a_clear_400(client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = {f"f{n}": SimpleUploadedFile(f"{n}.txt", b"x") for n in range(3)}
    response = client.post(reverse("admin:login"), files)
    assert response.status_code == 400
    assertContains(response, "too many parts", status_code=400)


@pytest.mark.parametrize("charset", ["latin-1", "utf-16", "utf-32", "iso-8859-15"])
def test_a_form_in_another_charset_than_utf_8_is_a_clear_400(client, charset):
    body = urlencode(referral_form_data(first_name="Zoë"), encoding="latin-1").encode()
    for url in ("/get-help/", reverse("admin:login")):
        response = client.generic(
            "POST", url, body, content_type=f"application/x-www-form-urlencoded; charset={charset}"
        )
        assert response.status_code == 400, url
        assertContains(response, "character encoding this site does not read", status_code=400)
    assert not Referral.objects.exists()
    assert mail.outbox == []


def test_the_error_reporter_never_raises_on_an_unreadable_request(settings):
    query = "&".join(f"p{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    request = RequestFactory().generic(
        "POST", f"/x/?{query}", query, content_type="application/x-www-form-urlencoded"
    )
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        reporter = PrivateExceptionReporter(request, *sys.exc_info())
    text = reporter.get_traceback_text()
    html = reporter.get_traceback_html()
    assert "boom" in text and "boom" in html
    assert "p1" not in text  # nothing of the request's parameters


def test_a_spanish_page_explains_bad_input_in_spanish(client):
    response = client.get("/es/meetings/?q=a%00b")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "No pudimos leer esa solicitud" in html
    assert "caracteres de control invisibles" in html
    assert "invisible control characters" not in html
