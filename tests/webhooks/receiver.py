"""A real HTTP receiver on 127.0.0.1, started by the test, answering from a script."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    path: str


@dataclass
class Script:
    """Answers in order; the last one repeats. (status, seconds to wait first)."""

    answers: list[tuple[int, float]] = field(default_factory=lambda: [(200, 0.0)])
    received: list[Received] = field(default_factory=list)

    def next(self) -> tuple[int, float]:
        index = min(len(self.received) - 1, len(self.answers) - 1)
        return self.answers[index]


class Receiver:
    def __init__(self) -> None:
        self.script = Script()
        script = self.script

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                script.received.append(Received(dict(self.headers.items()), body, self.path))
                status, wait = script.next()
                if wait:
                    time.sleep(wait)
                answer = f"answer {status}".encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass  # the sender gave up waiting and hung up

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/everydesk"

    def answer(self, *answers: int | tuple[int, float]) -> None:
        self.script.answers = [a if isinstance(a, tuple) else (a, 0.0) for a in answers]

    @property
    def received(self) -> list[Received]:
        return self.script.received

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
