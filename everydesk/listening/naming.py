"""Names for topics from their key words: what their voices say more than everyone else's.

Class-based TF-IDF: a term's weight in a topic is the share of the topic's voices that
use it, times how rare it is across all voices (the other topics and the voices that
belong to none). Terms are single words and two-word phrases without stop words, so a
name reads like "refund · charged twice".
"""

import itertools
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence

from everydesk.listening.scoring.courtesy import without_courtesy

# Letters (Latin-1 accents too), with apostrophes (straight or curly) and hyphens inside.
WORD = re.compile(r"[a-zà-öø-ÿ][a-zà-öø-ÿ'\u2019-]*[a-zà-öø-ÿ]")
# Order numbers, invoices, prices: anything with a digit names one case, not a topic
# (and "INV-38255" would otherwise leave "inv" behind).
CODE = re.compile(r"[^\s,;:()]*\d[^\s,;:()]*")
MAX_NAME_WORDS = 4
KEYWORDS = 10

# Words that carry no topic: grammar, greetings and the politeness every message has.
_STOP_WORDS = """
    a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can can't cannot could couldn't did didn't
    do does doesn't doing don't down during each few for from further get got had hadn't
    has hasn't have haven't having he her here hers herself him himself his how i i'd i'll
    i'm i've if in into is isn't it it's its itself just let's me more most much must my
    myself no nor not now of off on once only or other ought our ours ourselves out over
    own same she should shouldn't so some such than that that's the their theirs them
    themselves then there there's these they they'd they'll they're they've this those
    through to too under until up upon us very was wasn't we we'd we'll we're we've were
    weren't what what's when where which while who whom why will with won't would wouldn't
    yet you you'd you'll you're you've your yours yourself yourselves
    hi hello hey dear thanks thank thankyou please regards best cheers kind many team
    support everydesk sir madam morning afternoon evening ok okay yes one two still even
    really already again since ago day days week weeks today yesterday tomorrow time
    lot bit thing things something anything nothing someone anyone everyone way like
    know think want need needs wanted tried trying try going make made say said tell told
    asked ask could would also back just well else let lets via etc able anyway maybe sure
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def words(text: str) -> list[str]:
    # Greetings and sign-offs carry the names of whoever wrote or was written to.
    text = CODE.sub(" ", without_courtesy(text))
    return [w.replace("\u2019", "'") for w in WORD.findall(text.lower())]


def terms(text: str) -> set[str]:
    """The distinct words and adjacent word pairs of a text, stop words left out."""
    tokens = words(text)
    found = {t for t in tokens if t not in STOP_WORDS and len(t) > 2}
    for first, second in itertools.pairwise(tokens):
        if first not in STOP_WORDS and second not in STOP_WORDS and len(first) > 1:
            found.add(f"{first} {second}")
    return found


def keywords(
    groups: Mapping[int, Sequence[str]], background: Sequence[str] = ()
) -> dict[int, list[str]]:
    """The distinctive terms of each group of texts, best first."""
    per_group = {
        key: Counter(t for text in texts for t in terms(text)) for key, texts in groups.items()
    }
    everywhere: Counter[str] = Counter()
    for counts in per_group.values():
        everywhere.update(counts)
    for text in background:
        everywhere.update(terms(text))
    total = sum(len(texts) for texts in groups.values()) + len(background)
    chosen = {}
    for key, counts in per_group.items():
        size = max(1, len(groups[key]))
        # A term must recur (two voices, or the only voice) to describe the group.
        floor = 1 if size == 1 else 2
        scored = [
            (share / size * math.log(1 + total / everywhere[term]), term)
            for term, share in counts.items()
            if share >= floor
        ]
        scored.sort(key=lambda item: (-item[0], item[1]))
        chosen[key] = _distinct(scored)[:KEYWORDS]
    return chosen


def _distinct(scored: list[tuple[float, str]]) -> list[str]:
    """Best terms first, saying each word once: a word yields to a phrase holding it that
    scores nearly as well ("charged" to "charged twice"), and a phrase whose words are
    both already said is dropped."""
    phrases = [(score, term.split()) for score, term in scored if " " in term]
    kept: list[str] = []
    for score, term in scored:
        parts = term.split()
        said = {word for k in kept for word in k.split()}
        if len(parts) == 1 and (
            term in said or any(term in words and s >= 0.8 * score for s, words in phrases)
        ):
            continue
        if len(parts) == 2 and all(p in said for p in parts):
            continue
        kept.append(term)
    return kept


def unique_name(keywords: Sequence[str], taken: set[str], *, number: int) -> str:
    """`name_from`, told apart from names already taken: leave out one of the best terms
    if that makes it unique, else add the topic's number."""
    first = name_from(keywords)
    if first not in taken:
        return first
    for skipped in range(min(3, len(keywords) - 1)):
        other = name_from([k for i, k in enumerate(keywords) if i != skipped])
        if other not in taken:
            return other
    return f"{first} ({number})"


def name_from(keywords: Sequence[str]) -> str:
    """Up to four words of the best terms, e.g. "refund · charged twice"."""
    picked: list[str] = []
    used = 0
    for term in keywords:
        length = len(term.split())
        if used + length > MAX_NAME_WORDS:
            continue
        picked.append(term)
        used += length
        if used >= MAX_NAME_WORDS - 1 and len(picked) >= 2:
            break
    return " · ".join(picked) or "Unnamed topic"
