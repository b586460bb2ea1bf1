"""Messages for people: a stable code, an English template and its parameters.

A service never chooses the words a person reads. It raises (or returns) a
``Message``: a machine-readable ``code``, the English ``template`` marked for the
catalog with ``N_`` and the ``params`` it names. The text is chosen where it is
shown: the JSON API shows the English text (and the code), a page shows
``core.i18n.translate(message)``, the template in the reader's language with
its numbers and dates formatted for them ("2.000 kg" in Vietnamese).

A ``Message`` is a ``str`` of its English text, so it goes wherever a message
went before (problem JSON, field errors, logs) and reads the same there. Code
that must tell one refusal from another compares ``message.code`` (or
``error.code``), never the text.

Each domain declares its messages in one module (``core/accounts/messages.py``,
``traceability/messages/``, ``market/messages.py``)::

    STEP_ADDS_WEIGHT = Message("step_adds_weight", N_("A step cannot add weight: batch %(code)s holds %(kg)s kg."))
    raise MassBalanceError(STEP_ADDS_WEIGHT(code=batch.code, kg=batch.quantity_remaining))
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it here."""
    return message


class Message(str):
    """The English text of a message, with the ``code``, ``template`` and ``params`` a page needs to translate it.

    ``Message(code, template)`` declares one; calling it with the template's
    parameters gives the message to raise. A message without placeholders is used
    as it is. Parameters keep their type (``Decimal``, ``int``, ``date``, another
    ``Message``) so that each place that shows them can format them for its reader;
    the English text shows them as ``str()`` does.
    """

    code: str
    template: str
    params: Mapping[str, Any]

    def __new__(cls, code: str, template: str, params: Mapping[str, Any] | None = None) -> Message:
        params = dict(params or {})
        text = template % {name: str(value) for name, value in params.items()} if params else template
        self = super().__new__(cls, text)
        self.code = code
        self.template = template
        self.params = params
        return self

    def __call__(self, **params: Any) -> Message:
        """This message with ``params`` filled in (the same code and template)."""
        return Message(self.code, self.template, params)

    def __reduce__(self):  # pickled (Celery, caches) as what it is, not as a plain str
        return (Message, (self.code, self.template, self.params))

    def __repr__(self) -> str:
        return f"Message({self.code!r}, {str(self)!r})"


class Quantity(Decimal):
    """A quantity named in a sentence ("At most 1000 kg remain"): a ``Decimal`` whose thousands are grouped from
    five digits on (CLDR's minimum grouping digits of 2), so "1000" / "1250,5" but "12.500" in Vietnamese.

    Its English text is the ``Decimal``'s (``str()``), as the API has always written it; only pages format it.
    """


def code_of(message: str) -> str | None:
    """The code of ``message`` when it is a ``Message``; None for a plain string."""
    return message.code if isinstance(message, Message) else None
