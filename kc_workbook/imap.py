"""Reading the answers straight from the executor's mailbox over IMAP (``mail collect --imap``).

- TLS from the first byte by default (port 993), or STARTTLS (port 143); the server's
  certificate is checked against the system's authorities (``SSL_CERT_FILE`` names
  another file of them, e.g. an organisation's own);
- the folder is opened read-only unless the letters are to be marked as read, and the
  letters are fetched with ``BODY.PEEK``: nothing is ever deleted, moved or expunged;
- a letter whose Message-ID the received journal already lists is not downloaded again
  (``mail.taken_messages``); a letter without a Message-ID is known by folder and UID.

The workbooks are taken out by ``mail.collect``, with the same rules as saved letters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import KcWorkbookError

IMAPS_PORT, IMAP_PORT = 993, 143


class ImapError(KcWorkbookError):
    """The mailbox cannot be read (unreachable, refused the password, no such folder…)."""


@dataclass
class Imap:
    host: str
    port: int
    user: str
    password: str
    starttls: bool = False
    folder: str = "INBOX"
    timeout: float = 30


def parse_server(text: str, starttls: bool = False) -> tuple[str, int]:
    """HOST[:PORT] → (host, port); the port defaults to 993 (TLS) or 143 (STARTTLS)."""
    host, sep, port = text.rpartition(":")
    if sep and port.isdigit() and host:
        return host, int(port)
    if sep and not port.isdigit():
        raise ValueError(text)
    return text, IMAP_PORT if starttls else IMAPS_PORT


def _connect(server: Imap):
    import imaplib
    import ssl

    where = f"{server.host}:{server.port}"
    try:
        context = ssl.create_default_context()
        if server.starttls:
            conn = imaplib.IMAP4(server.host, server.port, timeout=server.timeout)
            conn.starttls(ssl_context=context)
        else:
            conn = imaplib.IMAP4_SSL(server.host, server.port, ssl_context=context, timeout=server.timeout)
    except ssl.SSLCertVerificationError as exc:
        raise ImapError(f"почтовый сервер {where} предъявил сертификат, которому нельзя доверять: "
                        f"{exc.verify_message or exc}") from exc
    except (OSError, imaplib.IMAP4.error) as exc:
        raise ImapError(f"не удалось подключиться к почтовому серверу {where}: {exc}") from exc
    try:
        if (server.user + server.password).isascii():
            conn.login(server.user, server.password)
        else:  # LOGIN is ASCII only: SASL PLAIN carries UTF-8 (RFC 4616)
            conn.authenticate("PLAIN", lambda _: f"\0{server.user}\0{server.password}".encode("utf-8"))
    except imaplib.IMAP4.error as exc:
        _close(conn)
        raise ImapError(f"почтовый сервер {where} не принял имя пользователя или пароль ({exc})") from exc
    return conn


def _close(conn) -> None:
    try:
        conn.logout()
    except Exception:  # the connection may already be gone
        pass


def folder_name(folder: str) -> str:
    """A folder's name as IMAP spells it (modified UTF-7, RFC 3501 5.1.3: «Ответы» → «&BB4EQgQyBDUEQgRL-»)."""
    import base64

    out, pending = [], []

    def flush():
        if pending:
            data = base64.b64encode("".join(pending).encode("utf-16-be")).decode("ascii").rstrip("=")
            out.append("&" + data.replace("/", ",") + "-")
            pending.clear()

    for ch in folder:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    return "".join(out)


def _quote(folder: str) -> str:
    name = folder_name(folder)
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


_UID = re.compile(rb"\bUID (\d+)")
_MESSAGE_ID = re.compile(rb"^Message-ID:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)


def _message_id(header: bytes) -> str | None:
    unfolded = re.sub(rb"\r?\n[ \t]+", b" ", header)
    found = _MESSAGE_ID.search(unfolded)
    return found.group(1).decode("ascii", "replace") if found else None


def fetch_new(server: Imap, taken: set[str], connect=None) -> tuple[list[tuple[str, str, bytes]], object]:
    """The letters of the folder not yet ``taken``: [(Message-ID, where, raw bytes, UID)], oldest
    first, and the open connection (for ``mark_read`` and ``close``)."""
    conn = (connect or _connect)(server)
    import imaplib

    try:
        status, _ = conn.select(_quote(server.folder), readonly=True)
        if status != "OK":
            raise ImapError(f"в почтовом ящике нет папки «{server.folder}»")
        status, data = conn.uid("SEARCH", None, "ALL")
        uids = data[0].split() if status == "OK" and data and data[0] else []
        ids = {}
        if uids:  # every letter's Message-ID in one command: a big mailbox costs one round trip
            status, parts = conn.uid("FETCH", b"1:*", "(UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
            for part in parts if status == "OK" else []:
                if isinstance(part, tuple):
                    found_uid = _UID.search(part[0])
                    if found_uid:
                        ids[found_uid.group(1)] = _message_id(part[1] or b"")
        found = []
        for uid in uids:
            message_id = ids.get(uid) or f"<{server.folder}/{uid.decode()}@{server.host}>"
            if message_id in taken:
                continue
            status, parts = conn.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), None) if status == "OK" else None
            if raw is None:
                continue
            found.append((message_id, f"{server.folder}, письмо {uid.decode()}", raw, uid))
    except imaplib.IMAP4.error as exc:
        _close(conn)
        raise ImapError(f"не удалось прочитать папку «{server.folder}»: {exc}") from exc
    except (OSError, ImapError):
        _close(conn)
        raise
    return found, conn


def mark_read(conn, server: Imap, uids: list[bytes]) -> None:
    """Set \\Seen on the letters taken; nothing else is changed."""
    import imaplib

    if not uids:
        return
    try:
        status, _ = conn.select(_quote(server.folder), readonly=False)
        if status != "OK":
            raise ImapError(f"папка «{server.folder}» открыта только для чтения: письма не отмечены прочитанными "
                            "(книги из них сохранены)")
        for uid in uids:
            conn.uid("STORE", uid, "+FLAGS.SILENT", "(\\Seen)")
    except (imaplib.IMAP4.error, OSError) as exc:
        raise ImapError(f"письма не удалось отметить прочитанными ({exc}); книги из них сохранены") from exc


def close(conn) -> None:
    _close(conn)
