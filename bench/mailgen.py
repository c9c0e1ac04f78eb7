"""Write a maildir of mixed support email, byte for byte the same for the same seed.

    python bench/mailgen.py /tmp/everydesk-mail-10k --count 10000 [--seed 1]

What a support address receives: new requests in plain text, HTML only and
multipart/alternative, some with an inline image (cid:) and a PDF; replies that
thread by In-Reply-To/References, and a few whose mail program dropped those
headers (they thread by sender and subject); out-of-office replies; delivery
failures as RFC 3464 reports and as qmail-style prose; a little mail from our
own address (a loop); some messages without a Message-ID; and a few messages
delivered twice, byte for byte. About one new request in five comes from
someone who wrote before.

Next to the maildir, `manifest.json` lists every delivery in order with what
everydesk must make of it (the outcome, the thread it belongs to, the files it
stores), so bench/ingest.py can check the result exactly. The expectations follow
the rules of everydesk/mail/inbound.py and matching.py; every prefix of the list
is consistent on its own (a reply only answers earlier mail), so the first 1,000
messages make a smaller benchmark with known results too.

File names start with the delivery time, so sorting them by name (across cur/ and
new/) gives the delivery order.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from everydesk.demo.texts import Composer, Details, ascii_slug, templates, words

MAILBOX = "support@shop.example"
SUPPORT_NAME = "Shop Support"
MANIFEST = "manifest.json"
START = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
MAX_PER_SENDER = 15  # stays under the flood limit (30 in 10 minutes) whatever the import mode
KINDS = ("question", "complaint", "praise", "idea", "other")
TOPICS = ("delivery", "billing", "product", "account", "returns")
FREEMAIL = ("mailbox.example", "inbox.example", "post.example", "webmail.example")
_POLICY = policy.default.clone(linesep="\n")

# What each delivery turns into; the values of everydesk.mail.models.Outcome, plus one.
NEW, ADDED, AUTO, BOUNCE, OWN = (
    "new_conversation",
    "added_message",
    "auto_reply",
    "bounce",
    "own_mail",
)
DUPLICATE = "duplicate"  # the same message again: stored once, skipped the second time


@dataclass(frozen=True)
class Person:
    name: str
    address: str


@dataclass
class Thread:
    """One conversation the generator has started, as its customer's mail shows it."""

    number: int
    customer: Person
    subject: str
    composer: Composer
    ids: list[str] = field(default_factory=list)  # Message-IDs of its messages, oldest first
    last_text: str = ""
    last_date: datetime = START


@dataclass
class Delivery:
    """One file of the maildir and what everydesk must make of it."""

    file: str  # relative to the maildir, e.g. "cur/1790000000.M000001P1.mx:2,S"
    kind: str  # how it was written: new, reply, reply_by_subject, auto_reply, ...
    outcome: str  # one of the outcomes above
    thread: int | None  # the generated thread it belongs to, if any
    message_id: str  # without angle brackets; "" when the message has none
    sender: str
    attachments: int  # files everydesk stores from it (0 unless it becomes a message)
    size: int
    duplicate_of: int | None = None  # index of the delivery it repeats
    bounced: str = ""  # for a delivery failure: the address that failed


@dataclass
class Manifest:
    seed: int
    count: int
    mailbox: str
    deliveries: list[Delivery]
    digest: str = ""  # sha256 over the files in delivery order

    def expected(self, first: int | None = None) -> dict[str, int]:
        """The counts everydesk must reach after ingesting the first `first` deliveries."""
        return expected_counts(self.deliveries[:first])

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1)

    @classmethod
    def load(cls, maildir: Path) -> Manifest:
        data = json.loads((maildir / MANIFEST).read_text())
        data["deliveries"] = [Delivery(**d) for d in data["deliveries"]]
        return cls(**data)


def expected_counts(deliveries: list[Delivery]) -> dict[str, int]:
    outcomes = Counter(d.outcome for d in deliveries)
    people: set[str] = set()
    bouncing: set[str] = set()
    for d in deliveries:  # a bounce marks a known customer; writing to us again clears it
        if d.outcome in (NEW, ADDED, AUTO):
            people.add(d.sender)
            bouncing.discard(d.sender)
        elif d.outcome == BOUNCE and d.bounced in people:
            bouncing.add(d.bounced)
    return {
        "deliveries": len(deliveries),
        "distinct": len(deliveries) - outcomes[DUPLICATE],
        NEW: outcomes[NEW],
        ADDED: outcomes[ADDED],
        AUTO: outcomes[AUTO],
        BOUNCE: outcomes[BOUNCE],
        OWN: outcomes[OWN],
        DUPLICATE: outcomes[DUPLICATE],
        "customers": len(people),
        "bouncing": len(bouncing),
        "attachments": sum(d.attachments for d in deliveries if d.outcome != DUPLICATE),
        "bytes": sum(d.size for d in deliveries),
    }


# --- the generator ----------------------------------------------------------------------


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.now = START
        self.deliveries: list[Delivery] = []
        self.raw: list[bytes] = []
        self.threads: list[Thread] = []
        self.people: list[Person] = []
        self.written: Counter[str] = Counter()  # messages per sender address
        self.subjects: set[tuple[str, str]] = set()  # (sender, subject) of open threads
        self.customers: set[str] = set()

    # --- one delivery at a time

    def next(self) -> tuple[Delivery, bytes]:
        self.now += timedelta(seconds=self.rng.randint(20, 400))
        roll = self.rng.random()
        ided = [t for t in self.threads[-400:] if t.ids]
        if roll < 0.30 and self.threads:
            made = self.reply(self.rng.choice(self.threads[-400:]))
        elif roll < 0.38 and ided:
            made = self.auto_reply(self.rng.choice(ided))
        elif roll < 0.39:
            made = self.vacation_notice()
        elif roll < 0.44:
            made = self.report_bounce()
        elif roll < 0.45:
            made = self.prose_bounce()
        elif roll < 0.453:
            made = self.own_mail()
        elif roll < 0.463 and self.deliveries:
            made = self.duplicate()
        else:
            made = self.new_request()
        self.deliveries.append(made[0])
        self.raw.append(made[1])
        return made

    def new_request(self) -> tuple[Delivery, bytes]:
        sender = self.sender()
        kind, topic = self.rng.choice(KINDS), self.rng.choice(TOPICS)
        details = Details(self.rng, name=sender.name.split()[0])
        composer = Composer(self.rng, templates(topic, kind), kind, details)
        subject = composer.subject()
        if (sender.address, subject.lower()) in self.subjects:
            # The same person, the same subject, still open: everydesk would (rightly)
            # thread it by sender and subject. Make it a different request.
            subject = f"{subject} (order {details['order']})"
        while (sender.address, subject.lower()) in self.subjects:
            subject += "!"
        self.subjects.add((sender.address, subject.lower()))
        thread = Thread(len(self.threads), sender, subject, composer)
        self.threads.append(thread)
        text = composer.opening()
        message, stored = self.person_message(sender, subject, text)
        thread.last_text = text
        return self.finish(message, "new", NEW, thread, sender, stored)

    def reply(self, thread: Thread) -> tuple[Delivery, bytes]:
        by_colleague = thread.ids and self.rng.random() < 0.1
        sender = self.colleague(thread.customer) if by_colleague else thread.customer
        if self.written[sender.address] >= MAX_PER_SENDER:
            return self.new_request()
        text = thread.composer.follow_up(after_solution=self.rng.random() < 0.3)
        quoted = "\n".join(f"> {line}" for line in thread.last_text.splitlines()[:30])
        when = format_datetime(thread.last_date)
        text = f"{text}\n\nOn {when}, {thread.customer.name} wrote:\n{quoted}\n"
        message, stored = self.person_message(sender, f"Re: {thread.subject}", text)
        # Some mail programs drop In-Reply-To and References; then only the sender and
        # the subject tie the reply to its conversation (so only the customer's own).
        threaded = thread.ids and (by_colleague or self.rng.random() < 0.9)
        if threaded:
            message["In-Reply-To"] = f"<{thread.ids[-1]}>"
            message["References"] = " ".join(f"<{i}>" for i in thread.ids[-10:])
        kind = "reply" if threaded else "reply_by_subject"
        thread.last_text, thread.last_date = text, self.now
        return self.finish(message, kind, ADDED, thread, sender, stored)

    def auto_reply(self, thread: Thread) -> tuple[Delivery, bytes]:
        """The customer's out-of-office, answering an agent's reply sent before this import."""
        person = thread.customer
        if self.written[person.address] >= MAX_PER_SENDER:
            return self.new_request()
        agent_id = f"reply-{self.rng.getrandbits(48):x}@desk.shop.example"
        style = self.rng.choice(("auto-submitted", "auto-submitted", "x-autoreply", "subject"))
        prefix = self.rng.choice(("Automatic reply", "Out of Office", "Abwesenheitsnotiz"))
        message = self.envelope(person, f"{prefix}: Re: {thread.subject}")
        day = self.rng.choice(words()["weekdays"])
        body = (
            f"Thank you for your email. I am out of the office until {day} with limited "
            f"access to email.\n\nFor urgent matters please call the front desk.\n\n{person.name}"
        )
        message["In-Reply-To"] = f"<{agent_id}>"
        message["References"] = " ".join(f"<{i}>" for i in [*thread.ids[-3:], agent_id])
        if style == "auto-submitted":
            message["Auto-Submitted"] = "auto-replied"
            message["X-Auto-Response-Suppress"] = "All"
        elif style == "x-autoreply":
            message["X-Autoreply"] = "yes"
        message.set_content(body)
        return self.finish(message, "auto_reply", AUTO, thread, person, 0)

    def vacation_notice(self) -> tuple[Delivery, bytes]:
        """An out-of-office that answers nothing we know: it opens a conversation (no ack)."""
        person = self.new_person()
        message = self.envelope(person, "Automatic reply: Your autumn offers")
        message["Auto-Submitted"] = "auto-replied"
        message.set_content(f"I am away until next week.\n\n{person.name}")
        return self.finish(message, "vacation_new", NEW, None, person, 0)

    def report_bounce(self) -> tuple[Delivery, bytes]:
        recipient = self.bounced_address()
        relay = f"mx{self.rng.randint(1, 9)}.{recipient.partition('@')[2]}"
        boundary = f"bounce-{len(self.deliveries)}"
        header_id = self.message_id(relay)
        original = self.original_headers(recipient)
        raw = (
            f"Return-Path: <>\n"
            f"Delivered-To: {MAILBOX}\n"
            f"Received: by mx.shop.example (Postfix) id {self.rng.getrandbits(40):X}; "
            f"{format_datetime(self.now)}\n"
            f"Date: {format_datetime(self.now)}\n"
            f"From: MAILER-DAEMON@{relay} (Mail Delivery System)\n"
            f"Subject: Undelivered Mail Returned to Sender\n"
            f"To: {MAILBOX}\n"
            f"Auto-Submitted: auto-replied\n"
            f"MIME-Version: 1.0\n"
            f"Content-Type: multipart/report; report-type=delivery-status;\n"
            f'\tboundary="{boundary}"\n'
            f"Message-Id: <{header_id}>\n"
            f"\n"
            f"This is a MIME-encapsulated message.\n\n"
            f"--{boundary}\n"
            f"Content-Description: Notification\n"
            f"Content-Type: text/plain; charset=us-ascii\n\n"
            f"This is the mail system at host {relay}.\n\n"
            f"I'm sorry to have to inform you that your message could not\n"
            f"be delivered to one or more recipients.\n\n"
            f"<{recipient}>: host {relay} said: 550 5.1.1 <{recipient}>: "
            f"Recipient address rejected: User unknown in virtual mailbox table\n\n"
            f"--{boundary}\n"
            f"Content-Description: Delivery report\n"
            f"Content-Type: message/delivery-status\n\n"
            f"Reporting-MTA: dns; {relay}\n"
            f"Arrival-Date: {format_datetime(self.now)}\n\n"
            f"Final-Recipient: rfc822; {recipient}\n"
            f"Original-Recipient: rfc822;{recipient}\n"
            f"Action: failed\n"
            f"Status: 5.1.1\n"
            f"Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: Recipient address rejected:\n"
            f"    User unknown in virtual mailbox table\n\n"
            f"--{boundary}\n"
            f"Content-Description: Undelivered Message Headers\n"
            f"Content-Type: text/rfc822-headers\n\n"
            f"{original}\n"
            f"--{boundary}--\n"
        ).encode()
        return self.finish_raw(raw, "bounce_report", header_id, relay, recipient)

    def prose_bounce(self) -> tuple[Delivery, bytes]:
        recipient = self.bounced_address()
        relay = f"mail.{recipient.partition('@')[2]}"
        header_id = self.message_id(relay)
        raw = (
            f"Return-Path: <>\n"
            f"Delivered-To: {MAILBOX}\n"
            f"Date: {format_datetime(self.now)}\n"
            f"From: MAILER-DAEMON@{relay}\n"
            f"To: {MAILBOX}\n"
            f"Subject: failure notice\n"
            f"Message-ID: <{header_id}>\n"
            f"\n"
            f"Hi. This is the qmail-send program at {relay}.\n"
            f"I'm afraid I wasn't able to deliver your message to the following addresses.\n"
            f"This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
            f"<{recipient}>:\n"
            f"Sorry, no mailbox here by that name. (#5.1.1)\n\n"
            f"--- Below this line is a copy of the message.\n\n"
            f"{self.original_headers(recipient)}\n"
            f"Thank you for your message.\n"
        ).encode()
        return self.finish_raw(raw, "bounce_prose", header_id, relay, recipient)

    def own_mail(self) -> tuple[Delivery, bytes]:
        """Mail from our own address coming back in (a forwarding loop): never ingested."""
        us = Person(SUPPORT_NAME, MAILBOX)
        message = self.envelope(us, "Re: Your request")
        message.set_content("Thanks for writing to us. We will get back to you shortly.")
        return self.finish(message, "own_mail", OWN, None, us, 0)

    def duplicate(self) -> tuple[Delivery, bytes]:
        """The same file again, as a retrying server or a copied mailbox delivers it."""
        people = [i for i, d in enumerate(self.deliveries) if d.outcome in (NEW, ADDED) and d.size]
        if not people:
            return self.new_request()
        first = self.rng.choice(people[-2000:])
        original = self.deliveries[first]
        raw = self.raw[first]
        delivery = Delivery(
            file=self.file_name(),
            kind="duplicate",
            outcome=DUPLICATE,
            thread=original.thread,
            message_id=original.message_id,
            sender=original.sender,
            attachments=0,
            size=len(raw),
            duplicate_of=first,
        )
        return delivery, raw

    # --- people

    def sender(self) -> Person:
        """Someone who wrote before about one time in five, else someone new."""
        if self.people and self.rng.random() < 0.2:
            for _ in range(5):
                person = self.rng.choice(self.people)
                if self.written[person.address] < MAX_PER_SENDER - 3:
                    return person
        return self.new_person()

    def new_person(self, domain: str = "") -> Person:
        w = words()
        first, last = self.rng.choice(w["first_names"]), self.rng.choice(w["last_names"])
        if not domain:
            company = self.rng.random() < 0.4
            domain = (
                f"{ascii_slug(self.rng.choice(w['companies']), '-')}.example"
                if company
                else self.rng.choice(FREEMAIL)
            )
        local = f"{ascii_slug(first)}.{ascii_slug(last)}"
        person = Person(f"{first} {last}", f"{local}{len(self.people)}@{domain}")
        self.people.append(person)
        return person

    def colleague(self, customer: Person) -> Person:
        return self.new_person(customer.address.partition("@")[2])

    def bounced_address(self) -> str:
        """Mostly a customer's address (marked as bouncing), sometimes one we never knew."""
        known = sorted(self.customers)
        if known and self.rng.random() < 0.7:
            return self.rng.choice(known)
        return f"gone{self.rng.getrandbits(32):x}@{self.rng.choice(FREEMAIL)}"

    # --- building messages

    def envelope(self, person: Person, subject: str) -> EmailMessage:
        message = EmailMessage(policy=_POLICY)
        message["Return-Path"] = f"<{person.address}>"
        message["Delivered-To"] = MAILBOX
        relay = person.address.partition("@")[2]
        message["Received"] = (
            f"from mail.{relay} (mail.{relay} [198.51.100.{self.rng.randint(1, 254)}]) "
            f"by mx.shop.example (Postfix) with ESMTPS id {self.rng.getrandbits(40):X} "
            f"for <{MAILBOX}>; {format_datetime(self.now)}"
        )
        message["From"] = Address(person.name, addr_spec=person.address)
        message["To"] = Address(SUPPORT_NAME, addr_spec=MAILBOX)
        message["Subject"] = subject
        message["Date"] = format_datetime(self.now)
        if self.rng.random() >= 0.03:  # a few mail programs send none
            message["Message-ID"] = f"<{self.message_id(relay)}>"
        return message

    def person_message(self, person: Person, subject: str, text: str) -> tuple[EmailMessage, int]:
        """A message a person wrote, in one of the shapes mail programs send.

        Returns the message and the number of files everydesk should store from it.
        """
        message = self.envelope(person, subject)
        message["X-Mailer"] = self.rng.choice(
            ("Thunderbird 128.3", "Apple Mail (2.3826)", "Microsoft Outlook 16.0", "K-9 Mail")
        )
        shape = self.rng.random()
        with_image = shape >= 0.45 and self.rng.random() < 0.15
        if shape < 0.45:
            message.set_content(text)
        elif shape < 0.85:
            message.set_content(text)
            message.add_alternative(self.html(text, with_image), subtype="html")
            if with_image:
                self.add_image(message.get_payload()[1])
        else:
            message.set_content(self.html(text, with_image), subtype="html")
            if with_image:
                self.add_image(message)
        stored = int(with_image)
        if self.rng.random() < 0.12:
            message.add_attachment(
                self.blob(b"%PDF-1.7\n", 20_000, 400_000, b"\n%%EOF\n"),
                maintype="application",
                subtype="pdf",
                filename=self.rng.choice(("invoice.pdf", "receipt.pdf", "order-details.pdf")),
            )
            stored += 1
        if self.rng.random() < 0.03:
            message.add_attachment(
                self.blob(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", 150_000, 900_000, b"\xff\xd9"),
                maintype="image",
                subtype="jpeg",
                filename="photo.jpg",
            )
            stored += 1
        return message, stored

    def html(self, text: str, with_image: bool) -> str:
        paragraphs = "\n".join(
            f'<p style="margin:0 0 12px 0;font-family:Calibri,Arial,sans-serif;font-size:11pt">'
            f"{chunk.replace(chr(10), '<br>')}</p>"
            for chunk in text.split("\n\n")
        )
        image = '<p><img src="cid:image001@mailgen" width="320" height="240" alt=""></p>'
        return (
            '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            "<style>p.MsoNormal{margin:0;}div.WordSection1{page:WordSection1;}</style>"
            f'</head><body lang="EN-GB"><div class="WordSection1">{paragraphs}'
            f"{image if with_image else ''}</div></body></html>"
        )

    def add_image(self, part: EmailMessage) -> None:
        part.add_related(
            self.blob(b"\x89PNG\r\n\x1a\n", 3_000, 60_000, b"IEND\xaeB`\x82"),
            maintype="image",
            subtype="png",
            cid="<image001@mailgen>",
            filename="image001.png",
            disposition="inline",
        )

    def blob(self, head: bytes, low: int, high: int, tail: bytes) -> bytes:
        """Incompressible bytes of a plausible size (log-uniform between low and high)."""
        size = int(low * (high / low) ** self.rng.random())
        return head + self.rng.randbytes(size) + tail

    def original_headers(self, recipient: str) -> str:
        return (
            f"From: {SUPPORT_NAME} <{MAILBOX}>\n"
            f"To: {recipient}\n"
            f"Subject: Re: Your request\n"
            f"Date: {format_datetime(self.now - timedelta(minutes=3))}\n"
            f"Message-ID: <reply-{self.rng.getrandbits(48):x}@desk.shop.example>\n"
        )

    def message_id(self, domain: str) -> str:
        return f"{len(self.deliveries)}.{self.rng.getrandbits(64):016x}@{domain}"

    def file_name(self) -> str:
        """Delivery time first, so that sorting names gives the delivery order."""
        stamp = int(self.now.timestamp())
        name = f"{stamp}.M{len(self.deliveries):06d}P{self.seed}.mx.shop.example"
        return f"new/{name}" if self.rng.random() < 0.1 else f"cur/{name}:2,S"

    # --- bookkeeping

    def finish(
        self,
        message: EmailMessage,
        kind: str,
        outcome: str,
        thread: Thread | None,
        person: Person,
        stored: int,
    ) -> tuple[Delivery, bytes]:
        for number, part in enumerate(message.walk()):
            if part.is_multipart():  # fixed boundaries: the same bytes for the same seed
                part.set_boundary(f"=_mailgen_{len(self.deliveries)}_{number}")
        raw = message.as_bytes()
        header_id = str(message.get("Message-ID", "")).strip("<>")
        if thread is not None and header_id and kind != "auto_reply":
            thread.ids.append(header_id)
        if outcome in (NEW, ADDED, AUTO):
            self.written[person.address] += 1
            self.customers.add(person.address)
        delivery = Delivery(
            file=self.file_name(),
            kind=kind,
            outcome=outcome,
            thread=thread.number if thread else None,
            message_id=header_id,
            sender=person.address,
            attachments=stored if outcome in (NEW, ADDED) else 0,
            size=len(raw),
        )
        return delivery, raw

    def finish_raw(
        self, raw: bytes, kind: str, header_id: str, relay: str, recipient: str
    ) -> tuple[Delivery, bytes]:
        """A delivery failure, written by hand: the stdlib cannot build message/delivery-status."""
        delivery = Delivery(
            file=self.file_name(),
            kind=kind,
            outcome=BOUNCE,
            thread=None,
            message_id=header_id,
            sender=f"mailer-daemon@{relay}",
            attachments=0,
            size=len(raw),
            bounced=recipient,
        )
        return delivery, raw


def generate(out: Path, count: int, seed: int) -> Manifest:
    """Write `count` deliveries as a maildir in `out` (replaced) and its manifest."""
    if out.exists():
        shutil.rmtree(out)
    for sub in ("cur", "new", "tmp"):
        (out / sub).mkdir(parents=True)
    generator = Generator(seed)
    digest = hashlib.sha256()
    for _ in range(count):
        delivery, raw = generator.next()
        (out / delivery.file).write_bytes(raw)
        digest.update(raw)
    manifest = Manifest(
        seed=seed,
        count=count,
        mailbox=MAILBOX,
        deliveries=generator.deliveries,
        digest=digest.hexdigest(),
    )
    (out / MANIFEST).write_text(manifest.to_json())
    return manifest


def delivery_order(maildir: Path) -> list[Path]:
    """The maildir's messages in delivery order (names start with the delivery time)."""
    files = [p for sub in ("cur", "new") for p in (maildir / sub).iterdir() if p.is_file()]
    return sorted(files, key=lambda p: p.name)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path, help="the maildir to write (replaced if it exists)")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    manifest = generate(options.out, options.count, options.seed)
    totals = manifest.expected()
    print(f"wrote {options.count:,} messages to {options.out} (sha256 {manifest.digest[:16]})")
    kinds = Counter(d.kind for d in manifest.deliveries)
    print("kinds:", ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    print("expected:", ", ".join(f"{k} {v:,}" for k, v in totals.items()))


if __name__ == "__main__":
    main()
