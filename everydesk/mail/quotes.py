"""Splitting a plain-text email body into what the sender just wrote and the rest.

The rest is quoted history (an "On ... wrote:" line with ">" lines, "-----Original Message-----",
an Outlook "From: / Sent: / To: / Subject:" block) and the sender's signature ("-- ", "Sent
from my iPhone"). split_reply() only chooses where to cut: new + folded == text, always, so the
folded part is shown behind a click and never lost.

Why not a library: mail-parser-reply 1.36 found every boundary in our samples (Gmail, Outlook,
Apple Mail, German, French) but strips every line before matching, so its output is not a
slice of the input (indented code loses its indentation) and cannot be folded back exactly;
quotequail 0.5.4 keeps exact slices but missed German and French Outlook header blocks.

Deliberately not folded: forwarded messages ("---------- Forwarded message ---------"), which
a customer forwards because the support team needs to read them, and quotes with the sender's
answers between them (inline replies), where the quotes are the context of the answers.
"""

import re

from everydesk.lib.sanitise import clean_html
from everydesk.mail.html_text import html_lines

# "On <date>, <name> wrote:" in the languages our customers write in. Starts with the opening
# word, ends with the verb and a colon; Gmail may wrap it over up to three lines.
_ATTRIBUTION = re.compile(
    r"""^(?:On|Am|Le|El|Il|Op|Em|Den|W\ dniu|Dne)\b .{0,400}
        \b(?:wrote|writes|schrieb|a\ écrit|escribió|ha\ scritto|scrisse|schreef|escreveu|
            skrev|napisał|napsal|kirjoitti)\b .{0,400}:\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Clients that start with the name instead: "Carol Smith <carol@example.com> wrote:".
_NAME_WROTE = re.compile(
    r"^.{1,400}\b(?:wrote|schrieb|a\ écrit|escribió|ha\ scritto|schreef|escreveu|skrev)\s?:\s*$",
    re.IGNORECASE,
)
# Lines that open a copy of an earlier message in Outlook, Thunderbird and webmail.
_ORIGINAL_SEPARATOR = re.compile(
    r"""^\s*-{2,}\s*(?:
        Original\ Message|Ursprüngliche\ Nachricht|Originalnachricht|Message\ d'origine|
        Message\ original|Mensaje\ original|Messaggio\ originale|Oorspronkelijk\ bericht|
        Mensagem\ original|Ursprungligt\ meddelande|Oprindelig\ meddelelse|
        Opprinnelig\ melding|Wiadomość\ oryginalna
    )\s*-{2,}\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_UNDERSCORES = re.compile(r"^\s*(?:_{10,}|-{3,})\s*$")  # Outlook rule; <hr> reads as ---
# An Outlook header block: a From line, then other header lines within the next few lines.
# Labels may come bold from HTML ("*From:*") and French puts a space before the colon.


def _header_label(labels: str) -> re.Pattern[str]:
    return re.compile(r"^\s*\*{0,2}(?:" + labels + r")\*{0,2}\s?:\*{0,2}\s", re.IGNORECASE)


_FROM_LINE = re.compile(_header_label("From|Von|De|Da|Van|Från|Fra|Od|Lähettäjä|Feladó"))
_OTHER_HEADER_LINE = re.compile(
    _header_label(
        "Sent|Date|To|Cc|Subject|Gesendet|Datum|An|Betreff|Envoyé|Date|À|A|Objet|"
        "Enviado|Fecha|Para|Asunto|Inviato|Data|Oggetto|Verzonden|Aan|Onderwerp|Skickat|"
        "Till|Ämne|Sendt|Til|Emne|Wysłano|Do|Temat"
    )
)
_SUBJECT_LINE = re.compile(
    _header_label("Subject|Betreff|Objet|Asunto|Oggetto|Onderwerp|Assunto|Ämne|Emne|Temat|Aihe")
)
_QUOTED = re.compile(r"^\s*>")
_SIGNATURE_DELIMITER = re.compile(r"^--\s?$")
_MOBILE_SIGNATURE = re.compile(
    r"""^\s*(?:
        Sent\ from\ (?:my\ |Mail\ for\ |Yahoo\ Mail|Outlook|AOL|Proton)|Sent\ via\ |
        Get\ Outlook\ for\ |
        Von\ meinem\ .{1,40}\ gesendet|Gesendet\ (?:von|mit)\ (?:meinem\ )?|
        Envoyé\ (?:de|depuis)\ mon\ |Enviado\ (?:desde|de)\ mi\ |Enviado\ do\ meu\ |
        Inviato\ da\ |Verzonden\ (?:vanaf|met)\ (?:mijn\ )?|Skickat\ från\ min\ |
        Sendt\ fra\ min\ |Wysłane\ z\s
    ).{0,80}$""",
    re.IGNORECASE | re.VERBOSE,
)
# Sanitised HTML this long (rare: nh3 strips the styles that bloat mail) is shown unfolded,
# or as folded text: reading it takes most of a second, and it happens while a page renders.
MAX_HTML_TO_FOLD = 300_000
MAX_SIGNATURE_LINES = 15  # a "-- " with more below it is more likely a divider than a signature
_HEADER_WINDOW = 6


def split_reply(text: str) -> tuple[str, str]:
    """(new text, folded tail) with new + tail == text; tail is "" when nothing is folded."""
    lines = text.splitlines(keepends=True)
    cut = fold_line(lines)
    if cut >= len(lines):
        return text, ""
    head = sum(len(line) for line in lines[:cut])
    return text[:head], text[head:]


def split_html_reply(html: str) -> tuple[str, str]:
    """The same split for sanitised HTML: (new, folded), each re-sanitised so tags balance.

    The HTML is read as lines of text (blockquotes as "> " lines) that remember where in the
    markup they start; the cut found on those lines is made there in the markup.
    """
    if len(html) > MAX_HTML_TO_FOLD:
        return html, ""
    lines, offsets = html_lines(html)
    cut = fold_line(lines)
    if cut >= len(lines):
        return html, ""
    return clean_html(html[: offsets[cut]]), clean_html(html[offsets[cut] :])


def fold_line(lines: list[str]) -> int:
    """Index of the first line to fold away; len(lines) when everything is new text."""
    words = [bool(line.strip()) and not _QUOTED.match(line) for line in lines]
    if True not in words:
        return len(lines)
    # Folding needs something new above the cut: nothing before the first line of words.
    first_words = words.index(True)
    cut = _signature_start(lines, words, first_words, _history_start(lines, first_words))
    return cut if first_words < cut < len(lines) else len(lines)


def _history_start(lines: list[str], first_words: int) -> int:
    """Index of the first line of quoted history, len(lines) when there is none."""
    for index in range(first_words + 1, len(lines)):
        line = lines[index]
        if _QUOTED.match(line) or not line.strip():
            continue
        if _ORIGINAL_SEPARATOR.match(line) or _outlook_header_block(lines, index):
            return _include_underscores(lines, index)
    return _trailing_quote_start(lines)


def _outlook_header_block(lines: list[str], index: int) -> bool:
    # A Subject line is required: "From: Berlin / To: Munich / Date: ..." is a booking.
    if not _FROM_LINE.match(lines[index]):
        return False
    window = lines[index + 1 : index + 1 + _HEADER_WINDOW]
    return any(_SUBJECT_LINE.match(line) for line in window) and (
        sum(1 for line in window if _OTHER_HEADER_LINE.match(line)) >= 2
    )


def _trailing_quote_start(lines: list[str]) -> int:
    """Start of the ">" block that runs to the end, with its attribution line if it has one.

    Quotes with unquoted lines after them are inline answers and stay where they are.
    """
    start = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        if _QUOTED.match(lines[index]) or not lines[index].strip():
            start = index
        else:
            break
    if not any(_QUOTED.match(line) for line in lines[start:]):
        return len(lines)
    return _attribution_above(lines, _first_content(lines, start))


def _attribution_above(lines: list[str], start: int) -> int:
    """The "On ... wrote:" line(s) right above a quote block, which Gmail wraps up to 3 lines."""
    last = start - 1
    while last >= 0 and not lines[last].strip():
        last -= 1
    for length in (1, 2, 3):
        first = last - length + 1
        if first < 0 or not lines[first].strip():
            break
        if _ATTRIBUTION.match(" ".join(line.strip() for line in lines[first : last + 1])):
            return first
    if last >= 0 and _NAME_WROTE.match(lines[last].strip()):
        # Gmail wraps "Name <" / "address> wrote:": the name line belongs to it.
        wrapped = last > 0 and lines[last - 1].rstrip().endswith("<")
        return last - 1 if wrapped else last
    return start


def _first_content(lines: list[str], start: int) -> int:
    """Skip leading blank lines so the cut lands on the first folded line of substance."""
    while start < len(lines) and not lines[start].strip():
        start += 1
    return start


def _include_underscores(lines: list[str], index: int) -> int:
    """Outlook draws a line of underscores above its header block: fold it too."""
    above = index - 1
    while above >= 0 and not lines[above].strip():
        above -= 1
    return above if above >= 0 and _UNDERSCORES.match(lines[above]) else index


def _signature_start(lines: list[str], words: list[bool], first_words: int, end: int) -> int:
    """Where the signature above `end` begins, or `end` when there is none."""
    last_words = max((i for i in range(min(end, len(lines))) if words[i]), default=-1)
    below = sum(1 for line in lines[first_words:end] if line.strip())
    for index in range(first_words, end):
        line = lines[index].rstrip("\r\n")
        below -= bool(line.strip())  # non-blank lines between this one and `end`
        if index == first_words:
            continue
        if _SIGNATURE_DELIMITER.match(line) and below <= MAX_SIGNATURE_LINES:
            return index
        if _MOBILE_SIGNATURE.match(line) and last_words <= index:
            return index
    return end
