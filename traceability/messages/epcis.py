"""EPCIS query and capture: what the interface says about bad parameters, documents and events."""

from core.messages import N_, Message

# Query parameters
QUERY_TIME = Message(
    "query_parameter", N_("%(name)s must be a date and time with its offset, for example 2026-01-31T00:00:00+07:00.")
)
QUERY_PER_PAGE = Message("query_parameter", N_("perPage must be a whole number from 1 to %(most)s."))
QUERY_TOKEN = Message(
    "query_parameter", N_("This nextPageToken was not issued for this query; start again without it.")
)
QUERY_UNKNOWN = Message("query_parameter", N_("This server does not support the query parameter %(name)s."))
QUERY_INVALID = Message("query_parameter", N_("The query parameters are not valid; see errors."))
NO_SUCH_EPCIS_EVENT = Message("event_not_found", N_("No event %(id)s that you may see."))

# Capture
CAPTURE_NOT_CONFIGURED = Message(
    "capture_not_configured",
    N_("EPCIS capture needs GS1's EPCIS 2.0 JSON schema: set EPCIS_SCHEMA_DIR to the folder that holds it."),
)
CAPTURE_SCHEMA = Message(
    "schema_invalid", N_("The document does not validate against the EPCIS 2.0 JSON schema; see errors.")
)
CAPTURE_NOT_DOCUMENT = Message("not_epcis_document", N_("Send one EPCISDocument (type EPCISDocument)."))
CAPTURE_TOO_MANY = Message("too_many_events", N_("A capture takes at most %(most)s events; send the rest separately."))
CAPTURE_EMPTY = Message("no_events", N_("The document has no events."))
CAPTURE_NO_ORGANIZATION = Message(
    "no_organization", N_("Say which of your organizations the events are for (organization_id).")
)
NO_SUCH_CAPTURE = Message("capture_not_found", N_("No capture job %(id)s of yours."))

# Per-event capture errors
EVENT_TYPE_UNSUPPORTED = Message(
    "event_type_unsupported",
    N_("%(type)s is not captured here: send ObjectEvent, TransformationEvent or TransactionEvent."),
)
INSTANCE_EPCS_UNSUPPORTED = Message(
    "instance_epcs_unsupported",
    N_("%(field)s names single items; lots are traced here by class: use a quantity list with epcClass."),
)
CLASS_PATTERN_UNSUPPORTED = Message(
    "class_pattern_unsupported", N_("%(epc_class)s is a pattern, not one lot: name each lot's class.")
)
ACTION_UNSUPPORTED = Message("action_unsupported", N_("A %(type)s with action %(action)s is not captured here."))
NO_QUANTITIES = Message("no_quantities", N_("The event names no lot with a quantity."))
QUANTITY_NEEDED = Message("quantity_needed", N_("%(epc_class)s needs a quantity and a uom (KGM or TNE)."))
QUANTITY_NOT_POSITIVE = Message("quantity_not_positive", N_("The quantity of %(epc_class)s must be above zero."))
UOM_UNSUPPORTED = Message("uom_unsupported", N_("%(uom)s is not a unit lots are kept in here: use KGM or TNE."))
UOM_NOT_LOT_UNIT = Message("uom_mismatch", N_("Lot %(code)s is kept in %(unit)s, not %(uom)s."))
UNKNOWN_LOT = Message(
    "unknown_lot", N_("%(epc_class)s is no lot here yet: an event that observes or consumes a lot needs it first.")
)
LOT_MASTER_DATA_MISSING = Message(
    "lot_master_data_missing",
    N_("%(epc_class)s is a new lot: give its nongsan:commodity and nongsan:product as EPCClass master data."),
)
LOT_MASTER_DATA_INVALID = Message("lot_master_data_invalid", N_("%(epc_class)s: %(problem)s"))
LOT_ALREADY_EXISTS = Message("lot_exists", N_("%(epc_class)s is already lot %(code)s; a lot is made only once."))
LOT_NOT_YOURS = Message("lot_not_yours", N_("Lot %(code)s is not held by the organization the events are for."))
LOT_NOT_ACTIVE = Message("lot_not_active", N_("Lot %(code)s cannot be acted on now: %(reason)s"))
EVENT_ALREADY_CAPTURED = Message("duplicate_event", N_("Event %(id)s was already recorded."))
EVENT_TIME_IN_FUTURE = Message("event_time_future", N_("The event time %(time)s is in the future."))
MEASUREMENT_UNKNOWN = Message("measurement_unsupported", N_("The sensor report type %(type)s is not one kept here."))
MEASUREMENT_INVALID = Message("measurement_invalid", N_("Measurement %(type)s: %(problem)s"))
CORRECTED_EVENT_UNKNOWN = Message(
    "corrective_event_unknown", N_("The corrective event %(id)s is neither here nor in the document.")
)
DISPOSITION_UNKNOWN = Message("disposition_unsupported", N_("The disposition %(disposition)s is not one kept here."))
ERROR_REASON_UNKNOWN = Message(
    "error_reason_unsupported", N_("The error reason %(reason)s is not did_not_occur or incorrect_data.")
)
MAY_NOT_CAPTURE_FOR = Message("forbidden", N_("You may not record events for this organization."))
BIZ_STEP_UNKNOWN = Message("biz_step_unsupported", N_("The business step %(step)s is not one kept here."))
