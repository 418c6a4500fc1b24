"""Real servers for the deployment tests: Redis, gunicorn app servers and nginx in front.

`start_cluster()` starts one Redis and N gunicorn instances (production settings, one
PostgreSQL database, the same Redis) behind one nginx rendered from deploy/nginx.conf.
Each instance stands for an app server on its own machine. A later check that needs more
processes per "machine" (for example a task worker: `cluster.start_process("worker-b",
[python, "manage.py", "db_worker"])`) gets the same environment from `cluster.env` and is
stopped with the rest.

Everything listens on 127.0.0.1 on free high ports and lives in a temporary folder. When
running as root, Redis and nginx run as `nobody`, as a service account would.
"""

import base64
import datetime
import http.client
import ipaddress
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX_EXAMPLE = ROOT / "deploy" / "nginx.conf"
HOST = "help.example.org"
PGBIN = Path("/usr/lib/postgresql/15/bin")


def need_binary(name, *candidates, package):
    """The path of a server binary. Missing: a failure in CI, a skip elsewhere."""
    for candidate in (*candidates, shutil.which(name)):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    message = f"{name} is not installed (apt-get install {package})."
    if os.environ.get("CI"):
        pytest.fail(message + " CI installs it in .ci/run; it must not be missing there.")
    pytest.skip(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, process, timeout=60, what="server", log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            said = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"{what} exited with {process.returncode}: {said}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on {port} within {timeout} s")


def _unprivileged(folder):
    """Popen's arguments to run as nobody when we are root: the servers need no privileges.

    Popen changes user itself rather than through runuser, which on being stopped waits two
    seconds before it lets go of the server.
    """
    if os.geteuid() != 0:
        return {}
    nobody = pwd.getpwnam("nobody")
    for path in [folder, *Path(folder).rglob("*")]:
        os.chown(path, nobody.pw_uid, nobody.pw_gid)
    return {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}


def _private_folder(prefix):
    folder = tempfile.mkdtemp(prefix=prefix)
    os.chmod(folder, 0o755)  # noqa: S103 - nobody must reach it; it holds no secrets
    return Path(folder)


def stop(process, grace=10):
    """SIGTERM the process group, then SIGKILL whatever is left after `grace` seconds."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


class Redis:
    def __init__(self):
        self.binary = need_binary("redis-server", "/usr/bin/redis-server", package="redis-server")
        self.folder = _private_folder("rd-redis-")
        self.port = free_port()
        argv = [
            self.binary,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.folder),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--logfile",
            str(self.folder / "redis.log"),
        ]
        # Both servers write to their own log files.
        self.process = subprocess.Popen(
            argv,
            **_unprivileged(self.folder),
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, self.process, what="redis-server", log=self.folder / "redis.log")
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        import redis

        return redis.Redis.from_url(self.url)

    def stop(self):
        stop(self.process)
        shutil.rmtree(self.folder, ignore_errors=True)


def self_signed_certificate(folder):
    """A certificate for HOST and 127.0.0.1, made here: the test trusts only it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(HOST), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _replace_once(text, old, new):
    """Swap one line of the example; fails if the example no longer has it."""
    assert text.count(old) == 1, f"deploy/nginx.conf no longer has exactly one {old!r}"
    return text.replace(old, new)


def render_nginx_site(app_ports, https_port, http_port, cert, key, access_log, down=()):
    """deploy/nginx.conf with this machine's ports and paths filled in, nothing else changed.

    Ports in `down` are marked so, as an operator does before stopping an app server.
    """
    text = NGINX_EXAMPLE.read_text(encoding="utf-8")
    servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+ .*;$", text, flags=re.M)
    assert len(servers) == 2, "deploy/nginx.conf should list two example app servers"
    lines = [
        re.sub(r"127\.0\.0\.1:\d+", f"127.0.0.1:{port}", servers[0])[:-1]
        + (" down;" if port in down else ";")
        for port in app_ports
    ]
    text = text.replace(servers[0] + "\n" + servers[1], "\n".join(lines))
    text = _replace_once(text, "    listen 80;\n", f"    listen 127.0.0.1:{http_port};\n")
    text = _replace_once(text, "    listen [::]:80;\n", "")
    text = _replace_once(text, "    listen 443 ssl;\n", f"    listen 127.0.0.1:{https_port} ssl;\n")
    text = _replace_once(text, "    listen [::]:443 ssl;\n", "")
    text = re.sub(r"ssl_certificate \S+;", f"ssl_certificate {cert};", text)
    text = re.sub(r"ssl_certificate_key \S+;", f"ssl_certificate_key {key};", text)
    text = _replace_once(text, "/var/log/nginx/directory.access.log", str(access_log))
    return text


class Nginx:
    def __init__(self, app_ports):
        self.binary = need_binary("nginx", "/usr/sbin/nginx", package="nginx")
        self.folder = _private_folder("rd-nginx-")
        self.https_port, self.http_port = free_port(), free_port()
        self.cert, self.key = self_signed_certificate(self.folder)
        self.access_log = self.folder / "access.log"
        self.app_ports = list(app_ports)
        self._write_site()
        temp = "\n".join(
            f"    {kind}_temp_path {self.folder / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (self.folder / "nginx.conf").write_text(
            f"daemon off;\nworker_processes 1;\npid {self.folder / 'nginx.pid'};\n"
            f"error_log {self.folder / 'error.log'} warn;\n"
            "events { worker_connections 256; }\n"
            f"http {{\n{temp}\n    include {self.folder / 'site.conf'};\n}}\n",
            encoding="utf-8",
        )
        argv = [
            self.binary,
            "-p",
            str(self.folder),
            "-e",
            str(self.folder / "error.log"),
            "-c",
            str(self.folder / "nginx.conf"),
        ]
        self.process = subprocess.Popen(
            argv, **_unprivileged(self.folder), start_new_session=True, stderr=subprocess.DEVNULL
        )
        wait_for_port(self.https_port, self.process, what="nginx", log=self.folder / "error.log")

    def _write_site(self, down=()):
        site = render_nginx_site(
            self.app_ports,
            self.https_port,
            self.http_port,
            self.cert,
            self.key,
            self.access_log,
            down=down,
        )
        (self.folder / "site.conf").write_text(site, encoding="utf-8")

    def set_down(self, *ports):
        """Rewrite the site with these app servers marked down and reload (nginx -s reload)."""
        self._write_site(down=ports)
        pid = int((self.folder / "nginx.pid").read_text())
        os.kill(pid, signal.SIGHUP)
        # The new workers take over once the old ones finish what they are proxying.
        time.sleep(1.5)
        assert self.process.poll() is None, self.error_log()

    def error_log(self):
        path = self.folder / "error.log"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def stop(self):
        stop(self.process)
        shutil.rmtree(self.folder, ignore_errors=True)


def database_url(settings_dict):
    user, password = settings_dict["USER"], settings_dict["PASSWORD"]
    host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{settings_dict['NAME']}"


@dataclass
class Instance:
    name: str
    port: int
    process: subprocess.Popen
    access_log: Path


@dataclass
class Cluster:
    """App servers, nginx and Redis, started by start_cluster() and stopped by stop()."""

    env: dict
    settings: dict
    folder: Path
    redis: Redis
    instances: dict = field(default_factory=dict)
    nginx: Nginx | None = None
    processes: dict = field(default_factory=dict)

    @property
    def secret_key(self):
        return self.env["SECRET_KEY"]

    def start_instance(self, name, port=None):
        port = port or free_port()
        env = dict(self.env, GUNICORN_BIND=f"127.0.0.1:{port}")
        access_log = self.folder / f"{name}.access.log"
        env["GUNICORN_ACCESS_LOG"] = str(access_log)
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "recovery_directory.wsgi"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        wait_for_port(port, process, timeout=120, what=f"gunicorn {name}")
        self.instances[name] = Instance(name, port, process, access_log)
        return self.instances[name]

    def start_process(self, name, argv):
        """Another long-running process beside the app servers, with their environment."""
        self.processes[name] = subprocess.Popen(
            argv, cwd=ROOT, env=self.env, start_new_session=True
        )
        return self.processes[name]

    def manage(self, *args):
        """Run a management command as an operator would on one of the machines."""
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )

    def stop(self):
        for process in self.processes.values():
            stop(process)
        if self.nginx:
            self.nginx.stop()
        for instance in self.instances.values():
            stop(instance.process)
        self.redis.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def production_settings(database, redis_url, folder, **overrides):
    """What an operator puts in the environment file of every app server (docs/operations.md)."""
    from django.conf import settings

    env = dict(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"https://{HOST}",
        # The same ring as the test process, so the test can read what the servers stored.
        REFERRAL_KEYS=settings.REFERRAL_KEYS,
        DATABASE_URL=database_url(database),
        REDIS_URL=redis_url,
        CLIENT_IP_HEADER="HTTP_X_REAL_IP",
        BEHIND_TLS_PROXY="1",
        STATIC_ROOT=str(folder / "static"),
        FEED_ROOT=str(folder / "feeds"),
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        WEB_CONCURRENCY="2",
        # Warnings would be one line per referral here ("no coordinator has an email").
        LOG_LEVEL="ERROR",
    )
    env.update({name: str(value) for name, value in overrides.items()})
    return env


def write_env_file(path, values):
    """An environment file as /etc/directory/env is written: NAME=value lines."""
    for name, value in values.items():
        assert re.fullmatch(r"[A-Za-z0-9_./:@,=+-]*", value), f"{name} would need quoting"
    path.write_text("".join(f"{k}={v}\n" for k, v in values.items()), encoding="utf-8")
    path.chmod(0o600)
    return path


def plain_environment():
    """A process environment without the test run's settings: what cron or systemd gives."""
    return {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}


def start_cluster(database, instances=("a", "b"), **overrides):
    """Redis, one gunicorn per name, nginx over all of them; `overrides` are settings."""
    folder = _private_folder("rd-cluster-")
    redis = Redis()
    cluster = Cluster(env={}, settings={}, folder=folder, redis=redis)
    try:
        cluster.settings = production_settings(database, redis.url, folder, **overrides)
        cluster.env = {
            **plain_environment(),
            "DJANGO_SETTINGS_MODULE": "recovery_directory.settings",
            **cluster.settings,
        }
        cluster.manage("collectstatic", "--noinput", "-v0")
        for name in instances:
            cluster.start_instance(name)
        cluster.nginx = Nginx([i.port for i in cluster.instances.values()])
    except BaseException:
        cluster.stop()
        raise
    return cluster


# --- A small HTTP client that behaves like one browser ---------------------------------------


class Browser:
    """Keeps its cookies; talks HTTPS to nginx or, like nginx, plain HTTP to an app server.

    Requests straight to an app server carry what nginx would add (X-Forwarded-Proto), so
    the app server sees the same request either way. `source` picks the client's own
    address (any of 127.0.0.0/8), which nginx passes on as X-Real-IP.
    """

    def __init__(self, cluster, source="127.0.0.1"):
        self.cluster = cluster
        self.source = source
        self.cookies = {}
        self.tls = ssl.create_default_context(cafile=str(cluster.nginx.cert))

    def _connection(self, via, timeout):
        if via == "nginx":
            return http.client.HTTPSConnection(
                "127.0.0.1",
                self.cluster.nginx.https_port,
                context=self.tls,
                timeout=timeout,
                source_address=(self.source, 0),
            )
        port = self.cluster.instances[via].port
        return http.client.HTTPConnection(
            "127.0.0.1", port, timeout=timeout, source_address=(self.source, 0)
        )

    def request(self, method, path, *, via="nginx", data=None, files=None, timeout=60):
        """`files`: {field: (file name, bytes)}, sent with `data` as multipart/form-data."""
        headers = {"Host": HOST, "Referer": f"https://{HOST}{path}"}
        if via != "nginx":
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if files:
            body, headers["Content-Type"] = multipart(data or {}, files)
        elif data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = self._connection(via, timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        return response.status, dict(response.getheaders()), content

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data, **kwargs):
        return self.request("POST", path, data=data, **kwargs)


def multipart(data, files):
    """(body, content type) of a form with file fields, as a browser sends it."""
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{item}\r\n".encode()
            )
    for name, (file_name, content) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{file_name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def hidden(html, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no {name} field on the page"
    return match.group(1)


def referral_answers(first_name, message):
    return {
        "requester": "self",
        "first_name": first_name,
        "email": f"{first_name.lower()}@example.org",
        "contact_method": "email",
        "best_time": "any",
        "contact_language": "en",
        "message": message,
        "consent": "on",
    }


def send_referral(browser, *, via="nginx", first_name, message, fill_seconds):
    """GET the form, take as long as a person would at least, POST it.

    Returns (status of the POST, the sent page's signed token or None).
    """
    status, _, html = browser.get("/get-help/", via=via)
    assert status == 200, f"the form answered {status}"
    answers = referral_answers(first_name, message)
    answers["csrfmiddlewaretoken"] = hidden(html, "csrfmiddlewaretoken")
    answers["started"] = hidden(html, "started")
    time.sleep(fill_seconds)
    status, headers, _ = browser.post("/get-help/", answers, via=via)
    token = None
    if status == 302:
        match = re.search(r"/get-help/sent/([^/]+)/", headers.get("Location", ""))
        token = match.group(1) if match else None
    return status, token


def random_key_ring(key_id="other"):
    return f"{key_id}:{base64.urlsafe_b64encode(os.urandom(32)).decode()}"
