"""What the traceability services say to people: each message with its stable code and English template.

Services raise these (filled with their parameters); the JSON API shows the English text and the code, pages
translate them with ``core.i18n.translate``. Code that must tell one refusal from another compares codes.

Each area's messages live in a submodule; every one is re-exported here, so ``from traceability.messages
import X`` works whichever submodule holds ``X``.
"""

from traceability.messages.catalog import *  # noqa: F403
from traceability.messages.documents import *  # noqa: F403
from traceability.messages.epcis import *  # noqa: F403
from traceability.messages.eudr import *  # noqa: F403
from traceability.messages.events import *  # noqa: F403
from traceability.messages.identifiers import *  # noqa: F403
from traceability.messages.operations import *  # noqa: F403
from traceability.messages.plots import *  # noqa: F403
from traceability.messages.transformations import *  # noqa: F403
