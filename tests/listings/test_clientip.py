"""The visitor's address behind a proxy: only what the proxy itself wrote is trusted."""

from django.test import RequestFactory

from listings.clientip import client_ip

rf = RequestFactory()


def test_without_a_header_the_connection_address_counts(settings):
    settings.CLIENT_IP_HEADER = ""
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="203.0.113.9")
    assert client_ip(request) == "10.0.0.1"


def test_the_last_forwarded_address_is_the_one_the_proxy_saw(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    # The client sent a made-up first entry; nginx appended the real address.
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def test_a_header_that_is_no_address_falls_back_to_the_connection(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for junk in ["", "unknown", "203.0.113.9\x00", "<script>"]:
        request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP=junk)
        assert client_ip(request) == "10.0.0.1", junk
