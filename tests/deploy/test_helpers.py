"""The deployment tests' own helpers: a missing server fails CI, the nginx example stays intact."""

import pytest

from .servers import NGINX_EXAMPLE, need_binary, render_nginx_site


def test_a_missing_server_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install no-such-package"):
        need_binary("no-such-server", "/nonexistent/no-such-server", package="no-such-package")


def test_a_missing_server_is_skipped_elsewhere(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install no-such-package"):
        need_binary("no-such-server", package="no-such-package")


def test_the_rendered_nginx_site_changes_only_ports_and_paths(tmp_path):
    example = NGINX_EXAMPLE.read_text(encoding="utf-8")
    site = render_nginx_site(
        [18001, 18002],
        18443,
        18080,
        tmp_path / "cert.pem",
        tmp_path / "key.pem",
        tmp_path / "access.log",
        down=(18002,),
    )
    assert "server 127.0.0.1:18001 max_fails=1 fail_timeout=10s;" in site
    assert "server 127.0.0.1:18002 max_fails=1 fail_timeout=10s down;" in site
    assert "listen 127.0.0.1:18443 ssl;" in site
    assert "listen 127.0.0.1:18080;" in site
    assert f"ssl_certificate {tmp_path / 'cert.pem'};" in site
    assert "[::]" not in site and "/etc/letsencrypt" not in site
    # Everything the site's settings rely on is passed through untouched.
    for line in example.splitlines():
        if "proxy_" in line or "log_format" in line or "client_max_body_size" in line:
            assert line in site
    assert "proxy_set_header X-Real-IP $remote_addr;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
