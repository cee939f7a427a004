"""ServiceError: the refusal every service raises (pure kernel module, no Flask, no database).

It lives on its own so that any service module can raise it without importing another service module:
portal.services and portal.vocabulary.services used to import each other for it.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal a person can act on; the message is shown as is."""
