"""Which topic each voice belongs to.

Interim: the topics work replaces this with grouping by meaning; until then voices
stay without a topic.
"""

from collections.abc import Sequence

from everydesk.listening.models import Voice


def assign(voices: Sequence[Voice]) -> None:
    """Give each scored voice its topic (and count it in TopicVolume)."""
