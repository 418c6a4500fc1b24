"""Time a large Meeting Guide feed uploaded in the admin, from the upload to the job's end.

    .venv/bin/python tests/benchmarks/make_meeting_guide_feed.py 111000 > /tmp/feed-45mb.json
    DATABASE_URL=... .venv/bin/python tests/benchmarks/admin_import.py /tmp/feed-45mb.json

Starts gunicorn (gunicorn.conf.py, production settings) and one task worker
(`manage.py db_worker`) against the database in DATABASE_URL (default: a fresh SQLite file
under var/), signs in as a throwaway superuser through the login page, uploads the file
through the import page as a browser would, and polls the job until it ends. Prints the
upload request's own time, the time from the upload to the job's end and the worker's peak
memory (Linux).
"""

import argparse
import base64
import http.client
import os
import re
import secrets
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = secrets.token_urlsafe(16)


def environment(port):
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-import.sqlite3'}")
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    env.setdefault("SECURE_SSL_REDIRECT", "0")
    env.setdefault("REFERRAL_KEYS", "bench:" + base64.urlsafe_b64encode(os.urandom(32)).decode())
    env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    env["WEB_CONCURRENCY"] = "2"
    env.pop("DEBUG", None)
    return env


def manage(env, *args, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, **kwargs)


class Browser:
    """Just enough of a browser for the admin: cookies (Secure ones too: this is loopback
    plain http) and the CSRF token from each form."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response, text

    def token(self, path):
        response, text = self.request("GET", path)
        assert response.status == 200, (path, response.status)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)


def multipart(fields, file_field, file_name, data):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{file_name}"\r\nContent-Type: application/json\r\n\r\n'.encode()
    )
    parts.append(data)
    parts.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("feed", type=Path)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args(argv)
    data = args.feed.read_bytes()
    env = environment(args.port)
    manage(env, "migrate", "--noinput", "-v0", check=True)
    manage(env, "collectstatic", "--noinput", "-v0", check=True)
    user = f"bench-{secrets.token_hex(4)}"
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_superuser({user!r}, None, {PASSWORD!r})",
        check=True,
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "recovery_directory.wsgi"],
        cwd=ROOT,
        env=env,
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload", "-v0"],
        cwd=ROOT,
        env=env,
    )
    try:
        browser = Browser(args.port)
        deadline = time.monotonic() + 120
        while True:
            try:
                token = browser.token("/admin/login/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.3)
        response, _ = browser.request(
            "POST",
            "/admin/login/?next=/admin/",
            body=f"csrfmiddlewaretoken={token}&username={user}&password={PASSWORD}&next=/admin/",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status == 302, f"sign-in answered {response.status}"
        token = browser.token("/admin/programs/program/import/")
        body, content_type = multipart(
            {
                "csrfmiddlewaretoken": token,
                "source": f"bench-{secrets.token_hex(3)}",
                "kind": "12-step",
                "publish": "on",
            },
            "file",
            args.feed.name,
            data,
        )
        started = time.perf_counter()
        response, _ = browser.request(
            "POST", "/admin/programs/program/import/", body, {"Content-Type": content_type}
        )
        upload_seconds = time.perf_counter() - started
        location = response.getheader("Location") or ""
        assert response.status == 302 and "/importjob/" in location, response.status
        status, polls, refused = "", 0, 0
        while status not in ("Done", "Failed"):
            time.sleep(0.5)
            response, page = browser.request("GET", location)
            polls += 1
            found = re.search(r"<dt>Status</dt><dd><strong>([^<]+)</strong>", page)
            if response.status != 200 or not found:
                # On SQLite the import's save holds the one write lock; a page that writes
                # (the session's sliding expiry) waits up to 20 s for it, then gives up.
                refused += 1
                continue
            status = found.group(1)
        total_seconds = time.perf_counter() - started
        peak = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{worker.pid}/status").read_text())
        headline = re.search(r'<section class="import-summary".*?<p>([^<]+)</p>', page, re.S)
        database = env["DATABASE_URL"].split(":", 1)[0]
        print(
            f"{args.feed.name}: {len(data) / 1e6:.1f} MB on {database}. Upload request "
            f"{upload_seconds:.2f} s; upload to job {status.lower()} {total_seconds:.1f} s; "
            f"{refused} of {polls} job-page polls refused; worker peak memory "
            f"{int(peak.group(1)) // 1024 if peak else '?'} MB. "
            + (headline.group(1) if headline else "")
        )
    finally:
        for process in (worker, server):
            process.terminate()
        for process in (worker, server):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a worker still importing: stop it hard
                process.kill()
                process.wait()


if __name__ == "__main__":
    main()
