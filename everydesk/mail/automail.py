"""Telling machine mail from mail a person wrote, so ingestion never answers a robot.

Headers first (RFC 3834 Auto-Submitted, the de-facto X-Autoreply family, Precedence, list
headers), then vacation-notice subjects, which many auto-responders send with no header at
all. Subjects are matched at the start only: "Out of office supplies?" is a customer.
"""

import re
from collections.abc import Mapping

_PRECEDENCE = {"bulk": "bulk", "junk": "bulk", "list": "bulk", "auto_reply": "auto-replied"}
_VACATION_SUBJECTS = (
    "out of office",
    "out of the office",
    "automatic reply",
    "auto reply",
    "auto-reply",
    "autoreply",
    "auto response",
    "auto-response",
    "autoresponse",
    "automated reply",
    "automated response",
    "vacation reply",
    "on vacation",
    "abwesenheitsnotiz",
    "abwesend",
    "automatische antwort",
    "automatische antwoord",
    "automatisch antwoord",
    "afwezig",
    "réponse automatique",
    "reponse automatique",
    "absence du bureau",
    "absent du bureau",
    "respuesta automática",
    "respuesta automatica",
    "fuera de la oficina",
    "fuori ufficio",
    "risposta automatica",
    "resposta automática",
    "resposta automatica",
    "fora do escritório",
    "autosvar",
    "automatisk svar",
    "frånvaro",
    "poza biurem",
    "odpowiedź automatyczna",
    "automaattinen vastaus",
)


# The phrase must end there ("Out of office supplies?" is a customer): punctuation, the end,
# or a word that continues a notice ("Out of the office until Monday").
_VACATION = re.compile(
    r"^(?:"
    + "|".join(re.escape(phrase) for phrase in _VACATION_SUBJECTS)
    + r")(?:\s*[:\-\u2013\u2014(\[!.,]|\s*$|\s+(?:auto|until|till|bis|jusqu|hasta|fino|tot|"
    r"from|vom|du|notice|notification|message|reply|mode)\b)",
    re.IGNORECASE,
)


def auto_reason(headers: Mapping[str, str], subject: str) -> str:
    """Why this message is machine mail ("" when a person wrote it). headers: lower-case names."""
    return _from_headers(headers) or _from_subject(subject)


def _from_headers(headers: Mapping[str, str]) -> str:
    submitted = headers.get("auto-submitted", "").strip().lower()
    if submitted and submitted.split(";")[0].strip() != "no":
        return "auto-replied" if submitted.startswith("auto-replied") else "auto-generated"
    if any(name in headers for name in ("x-autoreply", "x-autorespond", "x-autoresponder")):
        return "auto-replied"
    for name in ("precedence", "x-precedence"):
        reason = _PRECEDENCE.get(headers.get(name, "").strip().lower())
        if reason:
            return reason
    suppress = headers.get("x-auto-response-suppress", "").strip().lower()
    if suppress and suppress != "none":
        return "auto-generated"
    if "list-id" in headers or "list-unsubscribe" in headers:
        return "bulk"
    if headers.get("return-path", "").strip() == "<>":
        return "auto-generated"  # the null sender: only robots send as nobody (RFC 3834)
    return ""


def _from_subject(subject: str) -> str:
    lowered = subject.strip().lower()
    for prefix in ("re:", "aw:", "fwd:", "fw:", "wg:", "tr:"):
        # A person replying to a vacation notice is still a person.
        if lowered.startswith(prefix):
            return ""
    return "vacation" if _VACATION.match(lowered) else ""
