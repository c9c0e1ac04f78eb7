"""Quote folding: what a customer just wrote, apart from the history and signature below it."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from everydesk.lib.sanitise import clean_html
from everydesk.mail.quotes import split_html_reply, split_reply


def split(text: str) -> tuple[str, str]:
    new, folded = split_reply(text)
    assert new + folded == text  # nothing is ever lost
    return new.strip(), folded


GMAIL = """Thanks, that fixed it.

Carol

On Tue, Mar 3, 2026 at 10:00 AM Acme Support <support@acme.test> wrote:

> Hello Carol,
>
> please restart the router.
"""

GMAIL_WRAPPED = """Still broken, sorry.

On Tue, Mar 3, 2026 at 10:00 AM Acme Customer Support Team <
support@acme.test> wrote:

> Hello Carol,
> please restart.
"""

OUTLOOK = """Thank you, I'll try that tomorrow.

Regards
Carol

________________________________
From: Acme Support <support@acme.test>
Sent: Tuesday, March 3, 2026 10:00 AM
To: Carol Jones <carol@example.com>
Subject: RE: Router [#123]

Hello Carol,
please restart the router.
"""

ORIGINAL_MESSAGE = """Please see below.

-----Original Message-----
From: Support [mailto:support@acme.test]
Sent: Tuesday, March 03, 2026 10:00 AM
Subject: Router

Hello Carol
"""

APPLE_MAIL = """Works now, thanks!

Sent from my iPhone

> On 3. Mar 2026, at 10:00, Acme Support <support@acme.test> wrote:
>
> Hello Carol,
"""

GERMAN_GMAIL = """Danke, jetzt geht es wieder.

Viele Grüße
Jörg

Am Di., 3. März 2026 um 10:00 Uhr schrieb Acme Support <
support@acme.test>:

> Hallo Jörg,
> bitte starten Sie den Router neu.
"""

GERMAN_OUTLOOK = """Hallo,

leider klappt es nicht.

Von: Acme Support <support@acme.test>
Gesendet: Dienstag, 3. März 2026 10:00
An: Jörg Müller <joerg@example.com>
Betreff: AW: Router

Hallo Jörg,
"""

FRENCH_GMAIL = """Merci beaucoup, ça marche.

Le mar. 3 mars 2026 à 10:00, Acme Support <support@acme.test> a écrit :

> Bonjour Claire,
"""

FRENCH_OUTLOOK = """Bonjour,

toujours en panne.

Envoyé de mon iPhone

De : Acme Support <support@acme.test>
Envoyé : mardi 3 mars 2026 10:00
À : Claire <claire@example.com>
Objet : RE: Routeur

Bonjour Claire
"""

THUNDERBIRD = """Got it.

Carol Jones <carol@example.com> wrote:
> earlier text
"""


@pytest.mark.parametrize(
    ("text", "new", "folded_starts"),
    [
        (GMAIL, "Thanks, that fixed it.\n\nCarol", "On Tue, Mar 3, 2026"),
        (GMAIL_WRAPPED, "Still broken, sorry.", "On Tue, Mar 3, 2026"),
        (OUTLOOK, "Thank you, I'll try that tomorrow.\n\nRegards\nCarol", "______"),
        (ORIGINAL_MESSAGE, "Please see below.", "-----Original Message-----"),
        (APPLE_MAIL, "Works now, thanks!", "Sent from my iPhone"),
        (GERMAN_GMAIL, "Danke, jetzt geht es wieder.\n\nViele Grüße\nJörg", "Am Di., 3. März"),
        (GERMAN_OUTLOOK, "Hallo,\n\nleider klappt es nicht.", "Von: Acme Support"),
        (FRENCH_GMAIL, "Merci beaucoup, ça marche.", "Le mar. 3 mars 2026"),
        (FRENCH_OUTLOOK, "Bonjour,\n\ntoujours en panne.", "Envoyé de mon iPhone"),
        (THUNDERBIRD, "Got it.", "Carol Jones <carol@example.com> wrote:"),
    ],
)
def test_history_is_folded_below_the_new_text(text, new, folded_starts):
    got_new, folded = split(text)
    assert got_new == new
    assert folded.startswith(folded_starts)


def test_signature_after_dash_dash_space_is_folded():
    new, folded = split("The invoice number is 4711.\n\n-- \nCarol Jones\nAcme | +1 555 0100\n")
    assert new == "The invoice number is 4711."
    assert folded == "-- \nCarol Jones\nAcme | +1 555 0100\n"


@pytest.mark.parametrize(
    "line", ["Von meinem iPhone gesendet", "Get Outlook for Android", "Enviado desde mi iPhone"]
)
def test_mobile_signatures_are_folded(line):
    new, folded = split(f"Yes, please cancel it.\n\n{line}\n")
    assert new == "Yes, please cancel it."
    assert folded == f"{line}\n"


def test_inline_answers_between_quotes_are_all_kept():
    text = "> Which model?\nThe X200.\n\n> Which firmware?\nVersion 3.1.\n\nCarol\n"
    assert split_reply(text) == (text, "")


def test_plain_message_is_untouched():
    text = "Hello,\n\nmy order 4711 never arrived.\n\nCarol\n"
    assert split_reply(text) == (text, "")


def test_a_message_that_is_all_quote_is_not_folded_to_nothing():
    text = "On Mon, Mar 2, 2026 at 9:00 AM Acme <a@acme.test> wrote:\n> old text\n"
    assert split_reply(text) == (text, "")


def test_booking_details_that_look_like_headers_stay():
    text = "Please change my booking:\n\nFrom: Berlin\nTo: Munich\nDate: 3 March\n\nThanks\n"
    assert split_reply(text) == (text, "")


def test_a_long_text_after_dash_dash_is_not_a_signature():
    text = "Intro\n--\n" + "".join(f"step {i}\n" for i in range(30))
    assert split_reply(text) == (text, "")


def test_forwarded_messages_are_not_folded():
    text = (
        "See below, this is wrong.\n\n---------- Forwarded message ---------\nFrom: Shop\n\n1042\n"
    )
    assert split_reply(text) == (text, "")


def test_a_person_quoting_inline_with_wrote_keeps_the_answer_after_it():
    text = "Your colleague wrote:\n> restart it\nBut that did not help at all.\n"
    assert split_reply(text) == (text, "")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "",
                "> q",
                "text",
                "-- ",
                "On Mon, Jan 1, 2026 X <x@y> wrote:",
                "From: a <a@b>",
                "Sent: now",
                "Subject: s",
                "_" * 20,
                "Sent from my iPhone",
                "-----Original Message-----",
            ]
        )
        | st.text(max_size=30),
        max_size=30,
    )
)
def test_split_never_loses_text(lines):
    text = "\n".join(lines)
    new, folded = split_reply(text)
    assert new + folded == text


# --- HTML ---------------------------------------------------------------------------------

GMAIL_HTML = (
    '<div dir="ltr">Thanks, <b>that</b> fixed it.<div><br></div><div>Carol</div></div><br>'
    '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue, Mar 3, 2026 at 10:00 AM'
    ' Acme Support &lt;<a href="mailto:support@acme.test">support@acme.test</a>&gt; wrote:<br>'
    '</div><blockquote class="gmail_quote" style="margin:0 0 0 .8ex">Hello Carol,<br>please '
    "restart.<br></blockquote></div>"
)
OUTLOOK_HTML = (
    "<html><head><style>p{}</style></head><body><div>Thank you, I'll try.</div><div>Carol</div>"
    '<hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr"><font>'
    "<b>From:</b> Acme Support &lt;support@acme.test&gt;<br><b>Sent:</b> Tuesday, March 3, 2026"
    "<br><b>To:</b> Carol<br><b>Subject:</b> RE: Router</font></div><div>Hello Carol.</div>"
    "</body></html>"
)


def test_gmail_html_folds_at_the_attribution_with_balanced_markup():
    new, folded = split_html_reply(clean_html(GMAIL_HTML))
    assert new == "<div>Thanks, <b>that</b> fixed it.<div><br></div><div>Carol</div></div><br>"
    assert folded.startswith("<div><div>On Tue, Mar 3, 2026")
    assert "<blockquote>Hello Carol,<br>please restart.<br></blockquote>" in folded
    assert folded.endswith("</div>")


def test_outlook_html_folds_at_the_header_block_and_its_rule():
    new, folded = split_html_reply(clean_html(OUTLOOK_HTML))
    assert new == "<div>Thank you, I'll try.</div><div>Carol</div>"
    assert folded.startswith("<hr><div><b>From:</b> Acme Support")
    assert "Hello Carol." in folded


def test_html_without_history_is_returned_as_it_was():
    html = clean_html("<p>Just <i>one</i> question.</p><blockquote>a quote</blockquote><p>ok?</p>")
    assert split_html_reply(html) == (html, "")


def test_html_split_is_sanitised_again():
    # Cutting may leave halves unbalanced; both are passed through the same whitelist again.
    new, folded = split_html_reply(
        clean_html("<div><p>Yes</p><div>On Mon, X <x@y.z> wrote:</div><blockquote>q</blockquote>")
    )
    assert new.count("<div>") == new.count("</div>")
    assert folded.count("<div>") == folded.count("</div>")
