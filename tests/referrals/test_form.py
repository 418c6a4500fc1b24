"""The public referral form: fields, errors, anti-spam, rate limit, failure pages."""

import re
import time

import pytest
import time_machine
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django.asserts import assertContains, assertNotContains

from listings.models import PublicationStatus
from referrals.forms import sign_started
from referrals.models import Referral, ReferralNotification
from tests.factories import make_center, make_program, referral_form_data

pytestmark = pytest.mark.django_db

URL = "/get-help/"


def post(client, **overrides):
    return client.post(URL, referral_form_data(**overrides), REMOTE_ADDR="192.0.2.10")


# --- Showing the form -------------------------------------------------------------------------


def test_form_page_explains_itself_and_is_never_cached(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assertContains(response, "<h1>Ask us to contact you</h1>", html=True)
    assertContains(response, "free and confidential")
    assertContains(response, "This form is not for emergencies")
    assertContains(response, 'href="tel:988"')
    assertContains(response, "Questions marked")
    assertContains(response, "What happens next")
    # Required questions carry the mark in their label or legend; optional ones do not.
    assert re.search(
        r'<legend>Who is asking for help\? <span class="required-mark">\*',
        str(response.content, "utf-8"),
    )
    assertContains(
        response, 'First name or initials <span class="required-mark">*</span></label>', html=False
    )
    assertContains(response, '<label for="id_phone">Phone number</label>', html=False)


def test_radio_groups_are_fieldsets_with_legends(client):
    html = client.get(URL).content.decode()
    for name in ("requester", "contact_method", "voicemail_ok", "text_ok", "best_time"):
        fieldset = re.search(rf"<fieldset[^>]*>\s*<legend>[^<]+.*?id=\"id_{name}_0\"", html, re.S)
        assert fieldset, name


def test_program_link_preselects_the_program(client):
    program = make_program(name="Sunrise Group")
    response = client.get(URL, {"program": program.slug})
    assertContains(
        response,
        f'<option value="program:{program.slug}" selected>Sunrise Group</option>',
        html=True,
    )
    assertContains(response, "You came here from <strong>Sunrise Group</strong>")


def test_center_link_preselects_the_centre(client):
    center = make_center(name="Harbor Treatment")
    response = client.get(URL, {"center": center.slug})
    assertContains(
        response,
        f'<option value="center:{center.slug}" selected>Harbor Treatment</option>',
        html=True,
    )


def test_unknown_or_unpublished_listings_are_not_preselected(client):
    draft = make_program(name="Draft Group", status=PublicationStatus.DRAFT)
    for params in ({"program": draft.slug}, {"program": "no-such-thing"}, {"center": "<script>"}):
        response = client.get(URL, params)
        assert response.status_code == 200
        assertContains(response, '<option value="" selected>')
        assertNotContains(response, "You came here from")
        assertNotContains(response, "Draft Group")


def test_a_huge_catalogue_keeps_only_the_preselected_listing(client, settings):
    settings.REFERRAL_LISTING_MENU_LIMIT = 2
    programs = [make_program(name=f"Group {n}") for n in range(3)]
    response = client.get(URL, {"program": programs[1].slug})
    assertContains(response, "Group 1")
    assertNotContains(response, "Group 0")
    assertContains(response, "use the “Get help” button on its page")
    # And the shortened menu still accepts the pre-selected listing on submit.
    assert post(client, listing=f"program:{programs[1].slug}").status_code == 302
    assert Referral.objects.get().program == programs[1]


# --- A good submission ------------------------------------------------------------------------


def test_valid_submission_redirects_to_a_thank_you_page_without_personal_data(client):
    program = make_program(name="Sunrise Group")
    response = post(
        client,
        first_name="  Jo   Ann ",
        email="jo@example.org",
        phone="(614) 555-0123",
        listing=f"program:{program.slug}",
        message="Evenings are best",
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "no-store" in thanks["Cache-Control"]
    assertContains(thanks, referral.display_reference)
    for private in ("Jo Ann", "jo@example.org", "0123", "Sunrise Group", "Evenings"):
        assertNotContains(thanks, private)
    assert referral.first_name == "Jo Ann"
    assert referral.phone == "+16145550123"
    assert referral.program == program
    assert referral.voicemail_ok is False and referral.text_ok is True
    assert referral.best_time == "evening"
    assert referral.suspected_spam is False
    assert referral.status == Referral.Status.NEW
    assert ReferralNotification.objects.filter(referral=referral, sent_at=None).exists()


def test_reference_codes_are_short_unpredictable_and_unique(client):
    codes = [post(client) and Referral.objects.latest("pk").reference for _ in range(5)]
    assert len(set(codes)) == 5
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{8}", code) for code in codes)
    # Not sequential: random codes from a 32**8 space share no 6-character prefix.
    assert len({code[:6] for code in codes}) == 5


def test_unanswered_safety_questions_mean_no(client):
    post(client, voicemail_ok="", text_ok="")
    referral = Referral.objects.get()
    assert referral.voicemail_ok is None and referral.text_ok is None


def test_organisation_is_kept_only_for_professionals(client):
    post(client, requester="family", organisation="Ignored Org")
    post(client, requester="professional", organisation="County Health")
    first, second = Referral.objects.order_by("pk")
    assert first.organisation == ""
    assert second.organisation == "County Health"


def test_thank_you_page_needs_a_genuine_token(client):
    assert client.get(reverse("referral_sent", args=["ABCD2345"])).status_code == 404
    assert client.get(reverse("referral_sent", args=["ABCD2345:forged"])).status_code == 404


# --- Errors -----------------------------------------------------------------------------------


def test_empty_submission_shows_the_error_summary_and_inline_errors(client):
    response = client.post(URL, {}, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r"<title>Error: ", html)
    assert "data-error-summary" in html
    summary = html[html.index("error-summary") : html.index("<h1>")]
    for anchor, message in [
        ("#id_requester_0", "Choose who is asking for help"),
        ("#id_first_name", "Enter a first name or initials"),
        ("#id_phone", "Enter a phone number or an email address, or both"),
        ("#id_contact_method_0", "Choose how we should contact you first"),
        ("#id_consent", "Tick the box to agree to be contacted"),
    ]:
        assert f'<a href="{anchor}">{message}</a>' in summary, message
        assert html.count(message) == 2, f"{message} should appear in the summary and inline"
    assert 'aria-describedby="id_first_name_helptext id_first_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert '<ul class="errorlist" id="id_first_name_error">' in html
    assert Referral.objects.count() == 0


def test_everything_typed_is_kept_after_an_error(client):
    response = post(client, first_name="", email="kept@example.org", message="Kept message")
    assert response.status_code == 400
    for kept in (
        'value="kept@example.org"',
        "Kept message</textarea>",
        'value="phone" required id="id_contact_method_0" checked',
        'value="evening" id="id_best_time_3" checked',
        'value="614 555 0123"',
    ):
        assertContains(response, kept, status_code=400)


BAD_INPUTS = [
    ({"requester": "robot"}, "requester", "Select a valid choice"),
    ({"first_name": ""}, "first_name", "Enter a first name or initials"),
    ({"first_name": "x" * 61}, "first_name", "60 characters or fewer"),
    ({"first_name": "Sam\x00"}, "first_name", "Null characters are not allowed"),
    ({"phone": "not a number"}, "phone", "Enter a phone number we can call"),
    ({"phone": "555"}, "phone", "Enter a phone number we can call"),
    ({"phone": "9" * 41}, "phone", "40 characters or fewer"),
    ({"email": "not-an-email"}, "email", "Enter an email address in the correct format"),
    ({"phone": "", "email": ""}, "phone", "Enter a phone number or an email address"),
    ({"phone": "", "email": "a@example.org"}, "phone", "or choose email as the first contact"),
    (
        {"contact_method": "email", "email": ""},
        "email",
        "Enter an email address, or choose a phone call or text first",
    ),
    ({"contact_method": "fax"}, "contact_method", "Select a valid choice"),
    ({"contact_method": "text", "text_ok": "no"}, "text_ok", "said a text is not safe"),
    ({"voicemail_ok": "maybe"}, "voicemail_ok", "Select a valid choice"),
    ({"best_time": "midnight"}, "best_time", "Select a valid choice"),
    ({"listing": "program:no-such-group"}, "listing", "Choose a program or centre"),
    ({"listing": "anything"}, "listing", "Choose a program or centre"),
    ({"message": "m" * 1001}, "message", "1,000 characters or fewer"),
    ({"requester": "professional", "organisation": ""}, "organisation", "Enter the name of your"),
    ({"consent": None}, "consent", "Tick the box to agree to be contacted"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUTS)
def test_each_bad_input_is_refused_with_a_message_at_the_field(client, overrides, field, message):
    response = post(client, **overrides)
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assertContains(response, f'id="id_{field}_error"', status_code=400)
    assert Referral.objects.count() == 0


def test_csrf_is_enforced(settings):
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, referral_form_data())
    assert response.status_code == 403
    assertContains(response, "Your form could not be sent", status_code=403)
    assertContains(response, 'href="tel:6145550100"', status_code=403)
    assert Referral.objects.count() == 0

    page = client.get(URL)
    token = page.context["csrf_token"]
    response = client.post(URL, referral_form_data(csrfmiddlewaretoken=str(token)))
    assert response.status_code == 302
    assert Referral.objects.count() == 1


# --- Anti-spam: flag, never drop -------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "reasons"),
    [
        ({"website": "http://spam.example"}, "honeypot"),
        ({"started": "NOW"}, "too-fast"),
        ({"started": "forged"}, "no-timestamp"),
        ({"started": None}, "no-timestamp"),
        ({"website": "x", "started": "NOW"}, "honeypot,too-fast"),
    ],
)
def test_traps_flag_the_referral_but_store_it_and_answer_as_usual(client, overrides, reasons):
    if overrides.get("started") == "NOW":
        overrides = {**overrides, "started": sign_started()}
    response = post(client, **overrides)
    assert response.status_code == 302
    assert response["Location"].startswith("/get-help/sent/")
    referral = Referral.objects.get()
    assert referral.suspected_spam is True
    assert referral.spam_reasons == reasons


def test_a_person_taking_their_time_is_not_flagged(client):
    post(client, started=sign_started(time.time() - 4))
    assert Referral.objects.get().suspected_spam is False


def started_on_the_page(client):
    page = client.get(URL)
    return re.search(r'name="started" value="([^"]+)"', page.content.decode()).group(1)


def test_the_time_note_is_single_use(client):
    started = started_on_the_page(client)
    with time_machine.travel(time.time() + 10, tick=False):
        for _ in range(3):
            assert post(client, started=started).status_code == 302
    flags = list(Referral.objects.order_by("pk").values_list("suspected_spam", "spam_reasons"))
    assert flags == [(False, ""), (True, "replayed"), (True, "replayed")]


def test_a_note_sent_back_with_errors_is_still_unused(client):
    started = started_on_the_page(client)
    with time_machine.travel(time.time() + 10, tick=False):
        assert post(client, started=started, first_name="").status_code == 400
        assert post(client, started=started).status_code == 302
    assert Referral.objects.get().suspected_spam is False


def test_an_old_note_is_flagged_as_expired(client, settings):
    post(client, started=sign_started(time.time() - settings.REFERRAL_FORM_MAX_AGE_SECONDS - 5))
    assert Referral.objects.get().spam_reasons == "expired"


@pytest.mark.parametrize(
    "note", [12345.0, {"t": 1.0}, {"n": "abc"}, {"t": "yesterday", "n": "abc"}, [1, "x"]]
)
def test_notes_of_another_shape_count_as_missing(client, note):
    from django.core import signing

    from referrals.forms import STARTED_SALT

    post(client, started=signing.dumps(note, salt=STARTED_SALT))
    assert Referral.objects.get().spam_reasons == "no-timestamp"


def test_a_replayed_referral_explains_its_flag_to_coordinators(client):
    from tests.factories import make_staff

    started = sign_started(time.time() - 60)
    post(client, started=started)
    post(client, started=started)
    replayed = Referral.objects.get(suspected_spam=True)
    client.force_login(make_staff("coord", "Referral coordinators"))
    page = client.get(reverse("admin:referrals_referral_change", args=[replayed.pk]))
    assertContains(page, "sent with a form already used for another referral")


# --- Rate limit -------------------------------------------------------------------------------


def test_rate_limit_answers_429_with_phone_numbers_and_spares_other_addresses(client, settings):
    settings.REFERRAL_RATE_LIMIT = 3
    for _ in range(3):
        assert client.post(URL, referral_form_data(), REMOTE_ADDR="198.51.100.7").status_code == 302
    blocked = client.post(URL, referral_form_data(), REMOTE_ADDR="198.51.100.7")
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert "no-store" in blocked["Cache-Control"]
    assertContains(blocked, 'href="tel:6145550100"', status_code=429)
    assertContains(blocked, 'href="tel:988"', status_code=429)
    assert Referral.objects.count() == 3

    other = client.post(URL, referral_form_data(), REMOTE_ADDR="198.51.100.8")
    assert other.status_code == 302
    assert Referral.objects.count() == 4
    # Reading the form is never limited.
    assert client.get(URL, REMOTE_ADDR="198.51.100.7").status_code == 200


def test_rate_limit_follows_the_configured_proxy_header(client, settings):
    settings.REFERRAL_RATE_LIMIT = 1
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    proxy = "10.0.0.1"
    assert (
        client.post(
            URL, referral_form_data(), REMOTE_ADDR=proxy, HTTP_X_REAL_IP="203.0.113.1"
        ).status_code
        == 302
    )
    assert (
        client.post(
            URL, referral_form_data(), REMOTE_ADDR=proxy, HTTP_X_REAL_IP="203.0.113.2"
        ).status_code
        == 302
    )
    assert (
        client.post(
            URL, referral_form_data(), REMOTE_ADDR=proxy, HTTP_X_REAL_IP="203.0.113.1"
        ).status_code
        == 429
    )


# --- The database is down ---------------------------------------------------------------------


def refuse(statement_start):
    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(statement_start):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    return wrapper


def test_database_down_shows_503_with_phone_numbers(client):
    with connection.execute_wrapper(refuse("")):
        response = post(client)
    assert response.status_code == 503
    assert "no-store" in response["Cache-Control"]
    assertContains(response, "your request was not sent", status_code=503)
    assertContains(response, 'href="tel:6145550100"', status_code=503)
    assertNotContains(response, "Your request has been sent", status_code=503)
    assert Referral.objects.count() == 0


def test_database_failing_half_way_leaves_nothing_half_saved(client):
    def fail_on_notification(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and "referralnotification" in sql:
            raise OperationalError("disk I/O error")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_on_notification):
        response = post(client)
    assert response.status_code == 503
    assert Referral.objects.count() == 0
    assert ReferralNotification.objects.count() == 0


# --- Hostile input never causes a 500 ---------------------------------------------------------

FIELDS = [
    "requester",
    "organisation",
    "first_name",
    "phone",
    "email",
    "contact_method",
    "voicemail_ok",
    "text_ok",
    "best_time",
    "listing",
    "message",
    "consent",
    "website",
    "started",
]
hostile_text = st.one_of(
    st.text(max_size=80),
    # Long values (past every length limit) built cheaply by repeating a short one.
    st.builds(
        lambda chunk, times: chunk * times, st.text(min_size=1, max_size=12), st.integers(90, 130)
    ),
    st.sampled_from(["", "\x00", "<script>alert(1)</script>", "=1+1", "\u202e", "program:"]),
)


@pytest.mark.slow
@pytest.mark.django_db
@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.fixed_dictionaries({name: hostile_text for name in FIELDS}))
def test_arbitrary_text_in_every_field_never_causes_a_server_error(settings, data):
    settings.REFERRAL_RATE_LIMIT = 0
    client = Client(raise_request_exception=False)
    before = Referral.objects.count()
    response = client.post(URL, data)
    assert response.status_code in (302, 400), response.status_code
    stored = Referral.objects.count() - before
    assert stored == (1 if response.status_code == 302 else 0)
