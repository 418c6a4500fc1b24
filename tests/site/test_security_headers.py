"""The same protective headers on every response, nothing from elsewhere, cookies only if needed."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

from tests.factories import referral_form_data
from tests.site.test_public_urls import REDIRECTS, public_urls, sample  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

# Pages that carry a form and therefore need the CSRF cookie; nothing else may set one.
FORM_PAGES = {"referral", "programs:report_problem"}


def csp_directives(header):
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_protective_headers(response, url, html=True):
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert csp, f"{url}: no Content-Security-Policy"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
    assert "*" not in csp and "http:" not in csp, url
    policy = csp_directives(csp)
    assert policy["default-src"] in (["'none'"], ["'self'"]), url
    assert policy["script-src"] == ["'self'"], url
    assert policy["frame-ancestors"] == ["'none'"], url
    assert policy["form-action"] == ["'self'"], url
    assert policy["base-uri"] == ["'none'"], url
    assert policy["object-src"] == ["'none'"], url

    hsts = headers.get("Strict-Transport-Security", "")
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
    assert max_age >= 31536000 and "includeSubDomains" in hsts and "preload" in hsts, url
    assert headers.get("X-Content-Type-Options") == "nosniff", url
    assert headers.get("Referrer-Policy") in ("same-origin", "no-referrer", "strict-origin"), url
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin", url
    if is_open_data(url):
        # Open data is meant to be read by other sites' pages, and by nothing more.
        assert headers.get("Cross-Origin-Resource-Policy") == "cross-origin", url
        assert headers.get("Access-Control-Allow-Origin") == "*", url
        assert "Access-Control-Allow-Credentials" not in headers, url
    else:
        assert headers.get("Cross-Origin-Resource-Policy") == "same-origin", url
        if not url.startswith("/static/"):  # WhiteNoise lets fonts and scripts be shared
            assert "Access-Control-Allow-Origin" not in headers, url
    permissions = headers.get("Permissions-Policy", "")
    for feature in ("camera", "microphone", "payment", "usb"):
        assert f"{feature}=()" in permissions, (url, feature)
    assert "geolocation=(self)" in permissions, url
    if html:
        assert headers.get("X-Frame-Options") == "DENY", url


def is_open_data(url):
    return url.split("?")[0] == "/meetings.json" or url.startswith("/api/hsds/")


def test_every_public_page_sends_the_full_header_set(client, sample):  # noqa: F811
    for name, url in public_urls(sample):
        response = client.get(url, secure=True)
        assert response.status_code == (302 if name in REDIRECTS else 200), url
        assert_protective_headers(response, url)


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/admin/login/", 200),
        ("/no-such-page/", 404),
        ("/get-help/sent/forged/", 404),
        ("/static/js/site.js", 200),
    ],
)
def test_admin_error_and_static_responses_send_it_too(client, url, status):
    response = client.get(url, secure=True)
    assert response.status_code == status
    assert_protective_headers(response, url, html=not url.startswith("/static/"))


def test_failure_pages_send_it_too(client, settings):
    settings.REFERRAL_RATE_LIMIT = 1
    client.post("/get-help/", referral_form_data(), secure=True)
    limited = client.post("/get-help/", referral_form_data(), secure=True)
    assert limited.status_code == 429
    assert_protective_headers(limited, "429")


def test_pages_load_nothing_from_elsewhere_and_run_no_inline_code(client, sample):  # noqa: F811
    for _name, url in public_urls(sample):
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        # hreflang alternates name this site's own pages in full, as search engines ask; a
        # browser never fetches them.
        alternate = r'<link rel="alternate" hreflang="[a-z-]+" href="([^"]*)">'
        assert all(
            href.startswith(settings.SITE_URL + "/") for href in re.findall(alternate, html)
        ), url
        html = re.sub(alternate, "", html)
        for tag, _attr, value in re.findall(
            r"<(script|link|img|iframe|source|video|audio|embed)\b[^>]*?\b(src|href)=\"([^\"]*)\"",
            html,
        ):
            assert value.startswith("/") and not value.startswith("//"), (url, tag, value)
        for script in re.findall(r"<script\b([^>]*)>", html):
            # Scripts come from our static files; data blocks (JSON-LD, map markers) never run.
            assert 'src="/static/' in script or re.search(
                r'type="application/(ld\+)?json"', script
            ), url
        assert not re.search(r"\son[a-z]+=", html), f"{url} has an inline event handler"
        assert not re.search(r"\sstyle=", html), f"{url} has an inline style"
        assert "<iframe" not in html, url


def test_anonymous_browsing_sets_no_cookies_and_forms_set_only_a_hardened_csrf_cookie(
    client,
    sample,  # noqa: F811
):
    for name, url in public_urls(sample):
        response = client.get(url, secure=True)
        names = set(response.cookies)
        if name in FORM_PAGES:
            assert names == {"__Host-csrftoken"}, url
            cookie = response.cookies["__Host-csrftoken"]
            assert cookie["secure"] and cookie["httponly"], url
            assert cookie["samesite"] == "Lax" and cookie["path"] == "/", url
            assert not cookie["domain"], url
            # A session cookie: no lasting trace that the form was opened.
            assert not cookie["expires"] and not cookie["max-age"], url
        else:
            assert names == set(), f"{url} set cookies {names}"
        client.cookies.clear()


def test_staff_session_cookie_is_hardened(client):
    User.objects.create_user("staffer", password="a-long-test-password", is_staff=True)
    response = client.post(
        reverse("admin:login"),
        {"username": "staffer", "password": "a-long-test-password", "next": "/admin/"},
        secure=True,
        REMOTE_ADDR="192.0.2.50",
    )
    assert response.status_code == 302
    cookie = response.cookies["__Host-sessionid"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax" and cookie["path"] == "/" and not cookie["domain"]
    assert not cookie["max-age"]  # ends with the browser session
    assert "messages" not in response.cookies


def test_referral_and_admin_pages_are_never_cached(client):
    assert "no-store" in client.get("/get-help/")["Cache-Control"]
    assert "no-store" in client.get("/admin/login/")["Cache-Control"]
