"""Where a webhook may go, and a connection that goes exactly there.

An admin types the URL, so a careless or hostile one could aim our server at itself
or at the private network behind it (SSRF). Unless EVERYDESK_WEBHOOKS_ALLOW_PRIVATE
is on, every address the host name resolves to must be a public one, and the
connection is made to the address that was checked (not resolved a second time),
so a DNS answer that changes between check and connect cannot slip through.
"""

import http.client
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


class BlockedTarget(Exception):
    """The URL may never be sent to as it is; retrying will not help."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query string
    address: str  # the IP we connect to


def check_url(url: str) -> tuple[str, str, int, str]:
    """Scheme, host, port and path of a URL we are willing to post to at all."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BlockedTarget("Only http:// and https:// URLs with a host name can receive webhooks.")
    if parts.username or parts.password:
        raise BlockedTarget("Put credentials in the receiver's checks, not in the URL.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise BlockedTarget("The URL's port is not a number between 1 and 65535.") from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path


def resolve(url: str) -> Target:
    """Raises BlockedTarget for URLs never to use, OSError when the name does not resolve."""
    scheme, host, port, path = check_url(url)
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [str(info[4][0]) for info in infos]
    if not settings.WEBHOOKS_ALLOW_PRIVATE:
        private = [a for a in addresses if not ipaddress.ip_address(a).is_global]
        if private:
            raise BlockedTarget(
                f"{host} resolves to a private or local address ({private[0]}); "
                "set EVERYDESK_WEBHOOKS_ALLOW_PRIVATE to allow it."
            )
    return Target(scheme, host, port, path, addresses[0])


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, not the address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def connection(target: Target, timeout: float) -> http.client.HTTPConnection:
    pinned = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    return pinned(target, timeout)
