"""A throwaway Django project that serves django-helpdesk for the side-by-side benchmark.

It is imported only inside the peer's own virtual environment (see bench/peer_helpdesk.py);
nothing in everydesk depends on it.
"""
