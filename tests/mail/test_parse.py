"""parse(): raw bytes from real-world mail programs, broken ones included, into ParsedEmail.

The corpus/ messages are hand-made in the shapes real senders produce; the huge ones are built
here so the repository stays small.
"""

import base64
import random
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from everydesk.mail.parse import parse
from everydesk.mail.parsed import UnreadableEmail

CORPUS = Path(__file__).parent / "corpus"


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def read(name: str):
    return parse(corpus(name))


# --- headers ------------------------------------------------------------------------------


def test_encoded_words_in_subject_and_names_are_decoded_across_charsets():
    mail = read("headers_encoded_words.eml")
    assert mail.subject.startswith("Café crème € 20 and ")
    assert mail.from_name == "Óscar Müller"
    assert mail.from_address == "oscar.mueller@example.com"
    assert mail.reply_to_address == "help@example.at"


def test_an_undecodable_encoded_word_stays_as_written():
    assert read("headers_encoded_words.eml").subject.endswith("=?utf-8?B?!!broken!!?=")


def test_address_lists_keep_quoted_commas_in_names_and_lower_case_addresses():
    mail = read("headers_encoded_words.eml")
    assert mail.cc == ["jane@example.com", "bob@example.com"]
    assert mail.to == ["support@acme.test"]


def test_thread_headers_are_ids_without_brackets():
    mail = read("headers_encoded_words.eml")
    assert mail.header_id == "encoded@mail.example.com"
    assert mail.in_reply_to == ["first@desk.acme.test"]
    assert mail.references == ["root@desk.acme.test", "first@desk.acme.test"]
    assert mail.thread_ids == ["first@desk.acme.test", "root@desk.acme.test"]


def test_raw_utf8_and_latin1_bytes_in_headers_are_read():
    mail = read("headers_raw_8bit.eml")
    assert mail.subject == "Rückfrage zur Bestellung Nr. 77 \u2013 dringend"
    assert mail.from_name == "François Pérez"
    assert mail.from_address == "francois@example.fr"


def test_folded_subject_becomes_one_line_with_crlf_and_mbox_from_line():
    mail = read("mbox_crlf.eml")
    assert mail.subject == "Windows line endings and folding"
    assert mail.from_address == "carol@example.com"
    assert mail.text == "Line one\nLine two"


def test_missing_message_id_is_empty_not_an_error():
    mail = read("message_id_missing.eml")
    assert mail.header_id == ""
    assert mail.text == "Hello without an id."


def test_duplicate_message_id_keeps_the_first_and_says_so():
    mail = read("message_id_duplicate.eml")
    assert mail.header_id == "first-id@mail.example.com"
    assert any("2 Message-ID headers" in defect for defect in mail.defects)


def test_garbage_in_thread_headers_leaves_only_ids():
    mail = read("message_id_duplicate.eml")
    assert mail.in_reply_to == ["reply-7@desk.acme.test"]
    assert mail.references == ["a@x", "b@x"]


def test_malformed_addresses_are_rescued_or_dropped():
    mail = read("addresses_malformed.eml")
    assert mail.from_address == "carol@example.com"  # "Carol Jones <Carol@Example.com" unclosed
    assert mail.from_name == "Carol Jones"
    assert mail.to == []  # "undisclosed-recipients:;"
    assert "valid@example.org" in mail.cc
    assert "@nodomain" not in mail.cc and "nolocal@" not in mail.cc
    assert mail.reply_to_address == ""


def test_date_is_timezone_aware():
    mail = read("bounce_qmail.eml")  # "-0000": zone unknown, read as UTC
    assert mail.date == datetime(2026, 3, 3, 9, 10, tzinfo=UTC)
    offset = read("headers_raw_8bit.eml").date
    assert offset == datetime(2026, 3, 3, 10, 0, tzinfo=timezone(timedelta(hours=1)))


def test_unreadable_date_is_none_with_a_note():
    raw = b"From: a@example.com\nDate: the day after tomorrow\nSubject: x\n\nbody\n"
    mail = parse(raw)
    assert mail.date is None
    assert "Date header unreadable" in mail.defects


def test_a_100_kb_header_line_is_cut_to_a_sensible_size():
    subject = "word " * 20_000
    raw = f"From: a@example.com\nSubject: {subject}\nX-Junk: {'x' * 100_000}\n\nbody\n".encode()
    mail = parse(raw)
    assert 0 < len(mail.subject) <= 1_000
    assert mail.subject.startswith("word word")
    assert mail.text == "body"


def test_a_huge_address_list_is_capped():
    to = ", ".join(f"user{i}@example.com" for i in range(3_000))
    mail = parse(f"From: a@example.com\nTo: {to}\n\nbody\n".encode())
    assert 0 < len(mail.to) <= 500
    assert mail.to[0] == "user0@example.com"


# --- bodies and charsets -------------------------------------------------------------------


def test_utf8_body_declared_as_latin1_is_read_as_utf8():
    mail = read("charset_declared_wrong.eml")
    assert mail.text == "Grüße aus Köln, die Lieferung fehlt noch \u2013 bitte prüfen."
    assert any("iso-8859-1" in defect for defect in mail.defects)


def test_undeclared_windows_1252_body_keeps_quotes_and_euro():
    assert read("charset_undeclared_cp1252.eml").text == (
        "The \u201cpremium\u201d plan costs 12 \u20ac \u2013 that\u2019s wrong."
    )


def test_unknown_charset_name_falls_back_to_utf8():
    assert read("charset_unknown.eml").text == "Café crème, naïve soft line break."


def test_mixed_utf8_and_stray_windows_bytes_lose_nothing():
    body = "Grüße ".encode() + "“quoted”".encode("cp1252") + b" \x81"
    raw = b"From: a@example.com\nContent-Type: text/plain; charset=utf-8\n\n" + body
    assert parse(raw).text == "Grüße “quoted” \x81"


def test_seven_bit_japanese_mail_is_decoded_not_taken_for_ascii():
    subject = base64.b64encode("お問い合わせ".encode("iso-2022-jp")).decode()
    raw = (
        f"From: a@example.jp\nSubject: =?ISO-2022-JP?B?{subject}?=\n"
        "Content-Type: text/plain; charset=ISO-2022-JP\n\n"
    ).encode() + "注文が届きません。".encode("iso-2022-jp")
    mail = parse(raw)
    assert mail.subject == "お問い合わせ"
    assert mail.text == "注文が届きません。"


def test_html_only_mail_gets_readable_text_and_keeps_the_html_as_sent():
    mail = read("html_only_reply.eml")
    assert "<script>" in mail.html  # the caller sanitises; the parser keeps what came
    assert mail.text.startswith("It still doesn\u2019t work.\n\n- tried A\n- tried B")
    assert "alert" not in mail.text and "color: red" not in mail.text
    assert "> Please try A and B." in mail.text  # the blockquote stays recognisable as a quote


def test_alternative_keeps_text_and_html_and_inline_image_by_content_id():
    mail = read("multipart_inline_image.eml")
    assert mail.text == "See the photo: [image: crack.png]\nCarol"
    assert 'src="cid:ii_crack01"' in mail.html
    image, receipt = mail.attachments
    assert (image.filename, image.content_type, image.content_id, image.inline) == (
        "crack.png",
        "image/png",
        "ii_crack01",
        True,
    )
    assert image.data.startswith(b"\x89PNG")
    # Apple Mail gives every part a Content-ID; one the HTML never shows is an attachment.
    assert (receipt.filename, receipt.inline) == ("receipt.pdf", False)
    assert receipt.data.startswith(b"%PDF")


def test_forwarded_message_is_kept_as_an_eml_attachment():
    mail = read("forwarded_rfc822.eml")
    assert mail.text == "This is what your shop sent me."
    (forwarded,) = mail.attachments
    assert forwarded.filename == "Order 1042 confirmed ✓.eml"
    assert forwarded.content_type == "message/rfc822"
    inner = parse(forwarded.data)
    assert inner.header_id == "order-1042@shop.acme.test"
    assert inner.text == "Thank you for your order 1042."


def test_calendar_invite_becomes_an_ics_attachment():
    mail = read("calendar_invite.eml")
    assert mail.text == "When: Thursday 10:00-10:30"
    (invite,) = mail.attachments
    assert (invite.filename, invite.content_type) == ("invite.ics", "text/calendar")
    assert invite.data.startswith(b"BEGIN:VCALENDAR")


def test_empty_parts_and_a_missing_closing_boundary_are_survived():
    mail = read("empty_parts.eml")
    assert mail.text == "The real text."
    assert [a.filename for a in mail.attachments] == ["empty.bin"]
    assert "CloseBoundaryNotFoundDefect" in mail.defects


def test_nested_multiparts_are_walked():
    assert read("nested_multipart.eml").text == "Deep down inside."


def test_nesting_beyond_any_real_mail_is_noted_not_fatal():
    raw = "From: a@example.com\nSubject: deep\n"
    for level in range(60):
        raw += f'Content-Type: multipart/mixed; boundary="b{level}"\n\n--b{level}\n'
    raw += "Content-Type: text/plain\n\nbottom\n"
    mail = parse(raw.encode())
    assert mail.from_address == "a@example.com"
    assert any("nesting" in defect for defect in mail.defects)


def test_thousands_of_parts_are_capped_with_a_note():
    parts = b"".join(
        b"--B\nContent-Type: application/octet-stream\n\npart %d\n" % i for i in range(3_000)
    )
    raw = b"From: a@example.com\nContent-Type: multipart/mixed; boundary=B\n\n" + parts + b"--B--\n"
    mail = parse(raw)
    assert len(mail.attachments) == 999  # the container is the first part
    assert mail.attachments[0].data == b"part 0"
    assert "more than 1000 MIME parts: the rest skipped" in mail.defects


def test_broken_transfer_encodings_and_hostile_filenames():
    mail = read("attachments_broken.eml")
    assert mail.text == "Broken =ZZ escape and café"
    names = [a.filename for a in mail.attachments]
    assert names == ["Rechnung € 12.pdf", "passwd", "Übersicht.xlsx"]


def test_a_5_mb_attachment_arrives_whole():
    payload = random.Random(5).randbytes(5 * 1024 * 1024)
    raw = (
        b"From: a@example.com\nSubject: big\nContent-Type: multipart/mixed; boundary=B\n\n"
        b"--B\nContent-Type: text/plain\n\nsee attachment\n"
        b"--B\nContent-Type: application/zip\nContent-Disposition: attachment; filename=big.zip\n"
        b"Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(payload) + b"--B--\n"
    )
    mail = parse(raw)
    assert mail.text == "see attachment"
    assert mail.attachments[0].data == payload


def test_a_5_mb_text_part_is_cut_in_text_but_kept_whole_as_an_attachment():
    body = ("All work and no play. " * 250_000)[: 5 * 1024 * 1024]
    raw = b"From: a@example.com\nSubject: long\n\n" + body.encode()
    mail = parse(raw)
    assert len(mail.text) == 1_000_000
    (full,) = mail.attachments
    assert full.filename == "message.txt"
    assert full.data.decode() == body


# --- machine mail --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("vacation_auto_submitted.eml", "auto-replied"),
        ("vacation_subject_only.eml", "vacation"),
        ("newsletter_bulk.eml", "bulk"),
        ("dsn_delayed.eml", "auto-generated"),
        ("dsn_postfix.eml", "bounce"),
        ("charset_declared_wrong.eml", ""),
    ],
)
def test_machine_mail_is_recognised_with_a_reason(name, reason):
    assert read(name).auto == reason


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ("Auto-Submitted: auto-generated", "auto-generated"),
        ("Auto-Submitted: no", ""),
        ("X-Autoreply: yes", "auto-replied"),
        ("X-Autorespond: yes", "auto-replied"),
        ("Precedence: junk", "bulk"),
        ("Precedence: auto_reply", "auto-replied"),
        ("X-Auto-Response-Suppress: OOF", "auto-generated"),
        ("List-Id: <support.lists.example.com>", "bulk"),
        ("Subject: Automatic reply: Your ticket", "vacation"),
        ("Subject: Réponse automatique : absent", "vacation"),
        ("Subject: Out of office supplies?", ""),  # a customer, not a robot
        ("Subject: Re: Out of Office: back Monday", ""),  # a person answering one
    ],
)
def test_auto_mail_headers_and_subjects(headers, reason):
    raw = f"From: a@example.com\n{headers}\n\nbody\n".encode()
    assert parse(raw).auto == reason


def test_postfix_report_names_the_failed_recipient_and_our_message():
    mail = read("dsn_postfix.eml")
    assert mail.bounce is not None
    assert mail.bounce.recipients == ["nobody@example.net"]
    assert mail.bounce.status == "5.1.1"
    assert mail.bounce.diagnostic.startswith("550 5.1.1 <nobody@example.net>")
    assert mail.bounce.original_header_id == "reply-42.7@desk.acme.test"
    assert mail.attachments[0].content_type == "message/rfc822"


def test_exchange_report_reads_the_original_from_rfc822_headers():
    bounce = read("dsn_exchange.eml").bounce
    assert bounce is not None
    assert bounce.recipients == ["gone@contoso.example"]
    assert bounce.status == "5.1.10"
    assert "RecipientNotFound" in bounce.diagnostic
    assert bounce.original_header_id == "reply-42.8@desk.acme.test"


def test_gmail_report():
    mail = read("dsn_gmail.eml")
    assert mail.auto == "bounce"
    assert mail.bounce is not None
    assert mail.bounce.recipients == ["typo@gmial.example"]
    assert mail.bounce.original_header_id == "reply-42.9@desk.acme.test"


def test_a_delay_notice_is_not_a_bounce():
    mail = read("dsn_delayed.eml")
    assert mail.bounce is None


@pytest.mark.parametrize(
    ("name", "recipient", "original"),
    [
        ("bounce_qmail.eml", "former.staff@example.org", "reply-77.1@desk.acme.test"),
        ("bounce_exim.eml", "left@example.com", "reply-88.2@desk.acme.test"),
    ],
)
def test_prose_bounces_from_mailer_daemon_are_read_best_effort(name, recipient, original):
    mail = read(name)
    assert mail.auto == "bounce"
    assert mail.bounce is not None
    assert mail.bounce.recipients == [recipient]
    assert mail.bounce.status == "5.1.1"
    assert mail.bounce.original_header_id == original
    assert mail.bounce.diagnostic


def test_a_person_writing_about_an_undeliverable_parcel_is_not_a_bounce():
    raw = b"From: carol@example.com\nSubject: Parcel undeliverable?\n\nWhere is it?\n"
    mail = parse(raw)
    assert (mail.bounce, mail.auto) == (None, "")


# --- what cannot be read -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty message"),
        (b"\r\n \t\r\n", "empty message"),
        (corpus("garbage.eml"), "not a mail message"),
        (b"just some words\nand more\n", "not a mail message"),
        (corpus("no_sender_no_body.eml"), "no sender and no body"),
    ],
)
def test_unreadable_input_says_why(raw, reason):
    with pytest.raises(UnreadableEmail, match=reason):
        parse(raw)


def test_non_bytes_input_is_unreadable_not_a_type_error():
    with pytest.raises(UnreadableEmail, match="not bytes"):
        parse(12345)  # type: ignore[arg-type]


# --- never anything but UnreadableEmail ---------------------------------------------------

SEEDS = [corpus(path.name) for path in sorted(CORPUS.glob("*.eml")) if path.stat().st_size < 8000]
NASTY = [
    b"\r\n",
    b"\n\n",
    b"=?",
    b"?=",
    b"=?utf-8?B?",
    b"=?x-unknown?Q?=FF?=",
    b"--",
    b"boundary=",
    b'boundary=""',
    b"Content-Type: message/rfc822\n\n",
    b"Content-Type: multipart/mixed; boundary=x\n\n--x\n",
    b"Content-Type: message/delivery-status\n",
    b"Content-Transfer-Encoding: base64\n",
    b"Content-Transfer-Encoding: x-uuencode\n\nbegin 644 f\n",
    b"; filename*=utf-8''%ff%fe",
    b"; filename*0*=x; filename*1=y",
    b"charset=utf-16",
    b"<",
    b">",
    b"@",
    b"\x00",
    b"\xff\xfe",
    b"\xc3",
    b" \t",
    b":",
    b"From: ",
    b"Date: Feb 31 99999 99:99:99 +9999\n",
]


@st.composite
def mutated_mail(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 12))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "flip", "duplicate", "truncate"]))
        if action == "insert":
            data[at:at] = draw(st.sampled_from(NASTY) | st.binary(max_size=12))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif action == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
        elif action == "truncate":
            del data[at:]
    return bytes(data)


def _parse_or_unreadable(raw: bytes) -> None:
    try:
        mail = parse(raw)
    except UnreadableEmail as error:
        assert str(error)
        return
    assert isinstance(mail.subject, str) and "\n" not in mail.subject
    assert mail.from_address == mail.from_address.lower()
    assert all("<" not in header_id for header_id in [*mail.in_reply_to, *mail.references])


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_mail())
def test_mutated_mail_never_raises_anything_but_unreadable(raw):
    _parse_or_unreadable(raw)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise_anything_but_unreadable(raw):
    _parse_or_unreadable(raw)


HEADER_NAMES = [
    "From",
    "To",
    "Cc",
    "Subject",
    "Message-ID",
    "References",
    "Date",
    "Reply-To",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Content-Disposition",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(HEADER_NAMES),
            st.text(max_size=80),
        ),
        max_size=8,
    ),
    st.text(max_size=300),
)
def test_arbitrary_header_values_never_raise_anything_but_unreadable(headers, body):
    lines = "".join(f"{name}: {value}\n" for name, value in headers)
    _parse_or_unreadable((lines + "\n" + body).encode("utf-8", "surrogatepass"))
