"""A real IMAP server for the tests: Debian's Dovecot, started on 127.0.0.1 with TLS.

Its own configuration in a temporary folder (a passwd-file user, a self-signed
certificate for 127.0.0.1 made with openssl, Maildir), listening on free high ports:
IMAPS (TLS from the first byte) and IMAP (for STARTTLS). The client trusts the
certificate through ``SSL_CERT_FILE``, as an organisation would trust its own authority.

Skipped on a developer machine without Dovecot or openssl; under CI a failure
(.ci/run installs dovecot-imapd).
"""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "control", "s3cret-not-an-argument"


def unavailable(message: str):
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Mailbox:
    folder: Path
    imaps_port: int
    imap_port: int
    cert: Path
    process: subprocess.Popen

    def client(self):
        context = ssl.create_default_context(cafile=str(self.cert))
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.imaps_port, ssl_context=context, timeout=10)
        conn.login(USER, PASSWORD)
        return conn

    def deliver(self, raw: bytes, folder: str = "INBOX") -> None:
        from kc_workbook.imap import folder_name

        conn = self.client()
        try:
            if folder != "INBOX":
                conn.create(folder_name(folder))
            status, data = conn.append(folder_name(folder), None, None, raw)
            assert status == "OK", data
        finally:
            conn.logout()

    def flags(self, folder: str = "INBOX") -> list[bytes]:
        """The flags of every message, in order (to see that nothing was deleted or changed)."""
        conn = self.client()
        try:
            conn.select(folder, readonly=True)
            status, data = conn.fetch("1:*", "(FLAGS)")
            return [d for d in data if d] if status == "OK" else []
        finally:
            conn.logout()

    def count(self, folder: str = "INBOX") -> int:
        conn = self.client()
        try:
            status, data = conn.select(folder, readonly=True)
            return int(data[0])
        finally:
            conn.logout()


def _config(folder: Path, imaps: int, imap: int) -> str:
    if os.geteuid() == 0:  # Dovecot's login processes must not run as root: its own users
        internal, login = "dovecot", "dovenull"
        mail_user = pwd.getpwnam("dovecot")
    else:
        internal = login = pwd.getpwuid(os.getuid()).pw_name
        mail_user = pwd.getpwuid(os.getuid())
    group = f"default_internal_group = {internal}\n" if os.geteuid() == 0 else ""
    return f"""
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
instance_name = kc-workbook-test-{imaps}
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{folder}/cert.pem
ssl_key = <{folder}/key.pem
default_internal_user = {internal}
{group}default_login_user = {login}
first_valid_uid = 0
disable_plaintext_auth = yes
auth_mechanisms = plain login
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={folder}/home/%u
}}
mail_location = maildir:~/Maildir
"""


def start_dovecot() -> Mailbox:
    if not os.path.exists(DOVECOT):
        unavailable("Dovecot не установлен (apt-get install dovecot-imapd): тесты IMAP пропущены")
    if not shutil.which("openssl"):
        unavailable("openssl не установлен: тесты IMAP пропущены")
    folder = Path(tempfile.mkdtemp(prefix="kc-imap-"))  # not under pytest's 0700 folders: Dovecot's users read it
    folder.chmod(0o755)
    for sub in ("run", "state", "home"):
        (folder / sub).mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(folder / "key.pem"),
                    "-out", str(folder / "cert.pem"), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    (folder / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n", encoding="utf-8")
    if os.geteuid() == 0:
        entry = pwd.getpwnam("dovecot")
        os.chown(folder / "home", entry.pw_uid, entry.pw_gid)
    imaps, imap = free_port(), free_port()
    (folder / "dovecot.conf").write_text(_config(folder, imaps, imap), encoding="utf-8")
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(folder / "dovecot.conf")], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    box = Mailbox(folder, imaps, imap, folder / "cert.pem", process)
    deadline = time.monotonic() + 20
    try:
        while True:
            try:
                box.client().logout()
                return box
            except (OSError, imaplib.IMAP4.error) as exc:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (folder / "dovecot.log").read_text(errors="replace") \
                        if (folder / "dovecot.log").exists() else ""
                    out = process.stdout.read().decode(errors="replace") if process.poll() is not None else ""
                    unavailable(f"Dovecot не запустился ({exc}): {out[-500:]} {log[-1000:]}")
                time.sleep(0.3)
    except BaseException:  # skipped, failed or interrupted: never leave a server running
        stop(box)
        raise


def stop(box: Mailbox) -> None:
    if box.process.poll() is None:
        box.process.terminate()
        try:
            box.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            box.process.kill()
            box.process.wait()
    shutil.rmtree(box.folder, ignore_errors=True)
