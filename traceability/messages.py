"""What the traceability services say to people: each message with its stable code and English template.

Services raise these (filled with their parameters); the JSON API shows the English text and the code, pages
translate them with ``core.i18n.translate``. Code that must tell one refusal from another compares codes.
"""

from core.messages import N_, Message

# Transformations
YIELD_OUT_OF_BAND = Message("yield_out_of_band", N_("The yield is outside the usual range."))
YIELD_OUTSIDE_BAND = Message(
    "yield_out_of_band",
    N_(
        "%(ratio)s kg out per kg in is outside %(low)s–%(high)s for %(input)s → %(output)s; "
        "give a reason to record it anyway."
    ),
)
TRANSFORM_NOT_ALLOWED = Message("transform_not_allowed", N_("Transformation not allowed."))
CANNOT_BE_MADE_FROM = Message("transform_not_allowed", N_("%(output)s cannot be made from %(input)s."))
DRC_MISSING = Message("drc_missing", N_("DRC missing."))
LATEX_NEEDS_DRC = Message("drc_missing", N_("The latex lots need their DRC to check the yield."))
TOO_MANY_INPUTS = Message("too_many_inputs", N_("Too many inputs."))
AT_MOST_INPUT_LOTS = Message("too_many_inputs", N_("At most %(count)s input lots at a time."))
TOO_MANY_OUTPUTS = Message("too_many_outputs", N_("Too many outputs."))
AT_MOST_OUTPUT_LOTS = Message("too_many_outputs", N_("At most %(count)s output lots at a time."))
INVALID_INPUTS = Message("invalid_inputs", N_("Invalid inputs."))
EACH_INPUT_ONCE = Message("invalid_inputs", N_("Give each input lot once, at least one."))
INVALID_OUTPUTS = Message("invalid_outputs", N_("Invalid outputs."))
GIVE_ONE_OUTPUT = Message("invalid_outputs", N_("Give at least one output."))
INPUTS_OF_DIFFERENT_PRODUCTS = Message("different_products", N_("Inputs of different products."))
INPUTS_SAME_PRODUCT = Message("different_products", N_("All inputs must be the same product."))
NOT_MADE_FROM = Message("transform_not_allowed", N_("%(product)s is not made from %(commodity)s."))
OUTPUTS_SAME_PRODUCT = Message(
    "different_products", N_("All outputs of one transformation are the same product (grades may differ).")
)
INPUT_OVERDRAWN = Message("mass_balance", N_("More was asked of an input than it has left."))

# Plots
PLOT_FIELDS_INVALID = Message("plot_invalid", N_("Some plot fields are not valid; see errors."))
PLOT_NOT_FOUND = Message("plot_not_found", N_("No plot with this id that you may see."))
PLOT_READ_ONLY = Message("plot_read_only", N_("You may read this plot but not change it."))
FIELD_REQUIRED = Message("required", N_("This field is required."))
NAME_TOO_LONG = Message("too_long", N_("At most 200 characters."))
AREA_INVALID = Message("area_invalid", N_("Enter the area in hectares as a number greater than 0."))
AREA_TOO_LARGE = Message("area_too_large", N_("The area is too large for one plot."))
AREA_DECIMALS = Message("too_many_decimals", N_("Use at most 4 decimals."))
GPS_ACCURACY_INVALID = Message(
    "gps_accuracy_invalid", N_("Enter the GPS accuracy in metres as a number greater than 0.")
)
GPS_ACCURACY_TOO_LARGE = Message("gps_accuracy_too_large", N_("At most 10,000 m."))
GPS_ACCURACY_DECIMALS = Message("too_many_decimals", N_("Use at most 2 decimals."))
COMMUNE_UNKNOWN = Message("commune_unknown", N_("Unknown commune code; choose the commune or ward from the list."))
CROPS_UNKNOWN = Message("crops_unknown", N_("Choose crops among cashew, pepper and rubber."))
GROWING_AREA_CODE_TOO_LONG = Message("too_long", N_("At most 50 characters."))
STREET_TOO_LONG = Message("too_long", N_("At most 300 characters."))
NOT_GEOJSON = Message(
    "not_geojson", N_('This is not GeoJSON: paste a geometry such as {"type": "Polygon", "coordinates": ...}.')
)

# Plot geometry (WGS84 GeoJSON, checked as the EU Information System checks it)
GEOMETRY_INVALID = Message("geometry_invalid", N_("The geometry is not valid GeoJSON."))
POSITION_SHAPE = Message("geometry_invalid", N_("%(where)s: a position is [longitude, latitude]."))
POSITION_NOT_NUMBERS = Message("geometry_invalid", N_("%(where)s: coordinates must be numbers."))
POSITION_OUTSIDE_WGS84 = Message(
    "outside_wgs84", N_("%(where)s: [%(lon)s, %(lat)s] is outside WGS84 (longitude −180…180, latitude −90…90).")
)
POSITION_SWAPPED = Message(
    "outside_wgs84",
    N_(
        "%(where)s: [%(lon)s, %(lat)s] is outside WGS84 (longitude −180…180, latitude −90…90). "
        "Longitude comes first in GeoJSON: [longitude, latitude]."
    ),
)
RING_TOO_SHORT = Message(
    "geometry_invalid", N_("%(where)s: a ring needs at least 4 positions (3 corners and the first one repeated).")
)
RING_NOT_CLOSED = Message(
    "geometry_invalid", N_("%(where)s: the ring is not closed; its last position must repeat the first.")
)
RING_TOO_FEW_CORNERS = Message("geometry_invalid", N_("%(where)s: a ring needs at least 3 different corners."))
POLYGON_NOT_RINGS = Message("geometry_invalid", N_("%(where)s: a polygon is a list of rings."))
WHERE_POSITION = Message("geometry_where", N_("%(where)s, position %(number)s"))
WHERE_RING = Message("geometry_where", N_("%(where)s, ring %(number)s"))
WHERE_POLYGON = Message("geometry_where", N_("Polygon %(number)s"))
GEOMETRY_NOT_OBJECT = Message("geometry_invalid", N_("Send a GeoJSON geometry object with 'type' and 'coordinates'."))
GEOMETRY_TYPE = Message("geometry_type", N_("The geometry type must be one of %(allowed)s, not %(kind)s."))
GEOMETRY_NO_COORDINATES = Message("geometry_invalid", N_("The geometry has no 'coordinates'."))
GEOMETRY_TOO_MANY_POSITIONS = Message("geometry_too_large", N_("The geometry has more than %(count)s positions."))
MULTIPOLYGON_NOT_POLYGONS = Message("geometry_invalid", N_("A MultiPolygon is a list of polygons."))
BOUNDARY_CROSSES_ITSELF = Message(
    "geometry_self_intersection",
    N_("The boundary crosses itself (%(reason)s); walk the corners in order around the plot."),
)
SHAPE_INVALID = Message("geometry_invalid", N_("The shape is not a valid polygon: %(reason)s."))

# EUDR readiness of a plot
REASON_NO_GEOMETRY = Message("eudr_no_geolocation", N_("The plot has no geolocation (GPS point or boundary)."))
REASON_NEEDS_POLYGON = Message(
    "eudr_needs_polygon", N_("A plot over 4 ha needs its boundary as a polygon; a GPS point is not enough.")
)
REASON_NO_DECLARATION = Message(
    "eudr_no_declaration", N_("No declaration that the land was not deforested after 31 December 2020.")
)

# Certificates
CERTIFICATE_FIELDS_INVALID = Message("certificate_invalid", N_("Some certificate fields are not valid; see errors."))
CERTIFICATE_NOT_FOUND = Message("certificate_not_found", N_("No certificate with this id that you may see."))
CERTIFICATE_ORGANIZATION = Message("organization_required", N_("Choose the organization."))
CERTIFICATE_STATE_INVALID = Message("certificate_state_invalid", N_("Invalid state."))
CERTIFICATE_REJECTION_REASON = Message("rejection_reason_required", N_("A rejection needs a reason."))
CERTIFICATE_TYPE = Message("certificate_type_required", N_("Choose the kind of certificate."))
CERTIFICATE_RANGE = Message("certificate_range", N_("The certificate cannot end before it starts."))
CERTIFICATE_PLOTS = Message("certificate_plots", N_("Choose plots of the organization that holds the certificate."))
CERTIFICATE_DOCUMENT = Message("document_unknown", N_("Upload the document again: this file is unknown."))
CERTIFICATE_TYPE_OTHER = Message("certificate_type_other_required", N_("Say which certificate this is."))
DATE_REQUIRED = Message("date_required", N_("Enter a date."))
AT_MOST_100_CHARACTERS = Message("too_long", N_("At most 100 characters."))
AT_MOST_200_CHARACTERS = NAME_TOO_LONG
CERTIFICATE_STATE = Message("certificate_state_invalid", N_("Choose verified or rejected."))
CERTIFICATE_REJECTION_NOTE = Message("rejection_reason_required", N_("Say why the certificate is rejected."))

# Identifiers and Digital Link
GTIN_INVALID = Message("gtin_invalid", N_("Invalid GTIN."))
GTIN_LENGTH = Message("gtin_length", N_("A GTIN has 8, 12, 13 or 14 digits."))
GTIN_CHECK_DIGIT = Message(
    "gtin_check_digit", N_("The check digit of this GTIN is wrong: the last digit should be %(expected)s.")
)
GTIN_CHECK_DIGIT_IN_LINK = Message(
    "gtin_check_digit", N_("The GTIN check digit is wrong: the last digit should be %(expected)s.")
)
LOT_NUMBER_INVALID = Message("lot_number_invalid", N_("Invalid lot number."))
LOT_NUMBER_REQUIRED = Message("lot_number_required", N_("Enter a lot number."))
LOT_NUMBER_TOO_LONG = Message("lot_number_too_long", N_("A lot number has at most %(max)s characters."))
LOT_NUMBER_CHARACTERS = Message(
    "lot_number_characters",
    N_("A lot number may only use Latin letters without accents, digits and !\"%&'()*+,-./:;<=>?_ (no spaces)."),
)
GTIN_TAKEN_DETAIL = Message("gtin_taken", N_("The GTIN belongs to another organization."))
GTIN_TAKEN = Message("gtin_taken", N_("This GTIN belongs to another organization: use one of your own."))
LOT_NUMBER_USED_DETAIL = Message("lot_number_taken", N_("The lot number is already used for this GTIN."))
LOT_TAKEN = Message("lot_number_taken", N_("Another lot of this GTIN already has this lot number."))
LOT_TWICE = Message("lot_number_twice", N_("Give each new lot of one GTIN its own lot number."))
LINK_AI_EMPTY = Message("digital_link_empty_value", N_("The value of AI (%(ai)s) is empty."))
LINK_EMPTY_VALUE = Message("digital_link_empty_value", N_("Empty value."))
LINK_QUALIFIER_TOO_LONG = Message(
    "digital_link_qualifier",
    N_("AI (%(ai)s) takes at most %(max)s characters of GS1 character set 82 (no spaces, no diacritics)."),
)
LINK_ATTRIBUTE_FORMAT = Message(
    "digital_link_attribute", N_("The value of AI (%(ai)s) does not have the format GS1 defines for it.")
)
LINK_STARTS_WITH_GTIN = Message("digital_link_syntax", N_("A Digital Link starts with /01/<GTIN>."))
LINK_QUALIFIERS_IN_PAIRS = Message("digital_link_syntax", N_("Key qualifiers come in pairs: /<AI>/<value>."))
LINK_NOT_A_QUALIFIER = Message(
    "digital_link_syntax", N_("(%(ai)s) is not a key qualifier of a GTIN; use (22), (10) and (21), in that order.")
)
LINK_QUALIFIER_ORDER = Message(
    "digital_link_syntax", N_("Key qualifiers of a GTIN come in the order (22), (10), (21), each at most once.")
)

# Catalog: products, grades, units and measurements
PRODUCT_UNKNOWN_DETAIL = Message("product_unknown", N_("Unknown product."))
PRODUCT_UNKNOWN = Message("product_unknown", N_("Unknown product %(code)s; use one of: %(allowed)s."))
GRADE_INVALID = Message("grade_invalid", N_("Invalid grade."))
GRADE_TOO_LONG = Message("grade_too_long", N_("A grade has at most 20 characters."))
GRADE_UNKNOWN = Message("grade_unknown", N_("Unknown grade %(grade)s for %(product)s; use one of: %(allowed)s."))
MEASUREMENTS_TOO_MANY_DETAIL = Message("measurements_too_many", N_("Too many measurements."))
MEASUREMENTS_TOO_MANY = Message("measurements_too_many", N_("At most %(max)s measurements per event."))
MEASUREMENTS_INVALID = Message("measurements_invalid", N_("Some measurements are not valid."))
MEASUREMENT_NOT_OBJECT = Message("measurement_invalid", N_("A measurement is an object with type, value and unit."))
MEASUREMENT_TYPE_UNKNOWN = Message("measurement_type_unknown", N_("Unknown measurement type; use one of: %(allowed)s."))
MEASUREMENT_UNIT = Message("measurement_unit", N_("%(kind)s is measured in %(unit)s."))
ENTER_A_NUMBER = Message("not_a_number", N_("Enter a number."))
MEASUREMENT_OUT_OF_RANGE = Message(
    "measurement_out_of_range", N_("%(kind)s must be between %(low)s and %(high)s %(unit)s.")
)
UNIT_UNKNOWN_DETAIL = Message("unit_unknown", N_("Unknown unit."))
UNIT_UNKNOWN = Message("unit_unknown", N_("Use one of: %(allowed)s."))
# Grades as people read them (the trade's code stays the stored value)
GRADE_WHITE_WHOLES = Message("grade_white_wholes", N_("White whole kernels, %(count)s per pound"))
GRADE_SCORCHED_WHOLES_COUNT = Message("grade_scorched_wholes", N_("Scorched whole kernels, %(count)s per pound"))
GRADE_SCORCHED_WHOLES = Message("grade_scorched_wholes", N_("Scorched whole kernels"))
GRADE_WHITE_SPLITS = Message("grade_white_splits", N_("White split kernels"))
GRADE_LARGE_WHITE_PIECES = Message("grade_large_white_pieces", N_("Large white pieces"))
GRADE_LARGE_PIECES = Message("grade_large_pieces", N_("Large pieces"))
GRADE_SMALL_PIECES = Message("grade_small_pieces", N_("Small pieces"))
GRADE_VERY_SMALL_PIECES = Message("grade_very_small_pieces", N_("Very small pieces"))
GRADE_BABY_BITS = Message("grade_baby_bits", N_("Kernel bits"))
GRADE_SCORCHED_BUTTS = Message("grade_scorched_butts", N_("Scorched butts"))
GRADE_DESSERT_WHOLES = Message("grade_dessert_wholes", N_("Dessert whole kernels (lower grade)"))
GRADE_PEPPER_DENSITY = Message("grade_pepper_density", N_("Density %(density)s g/l"))

# Labels
LABEL_COUNT = Message("label_count", N_("Enter a whole number of labels from 1 to 500."))
LABEL_FORMAT = Message("label_format", N_("Choose A4 sheets or thermal labels."))
LABEL_WEIGHT = Message("label_weight", N_("Enter the net weight of one bag in kg, a number greater than 0."))
LABEL_WEIGHT_TOO_LARGE = Message("label_weight_too_large", N_("At most 1,000 kg per bag."))
LABELS_MORE_THAN_LOT = Message(
    "labels_more_than_lot",
    N_("These bags together weigh more than the lot: print fewer labels or lower the weight per bag."),
)
LABEL_SHEET_NOT_FOUND = Message("label_sheet_not_found", N_("No label sheet with this id that you may see."))
LABEL_SHEET_NOT_READY = Message("label_sheet_not_ready", N_("This label sheet is not ready yet."))
LABEL_SHEET_GONE = Message("label_sheet_gone", N_("This label sheet's file is gone; make the labels again."))

# Scans of a lot's public page
SCANS_HOLDER_ONLY = Message(
    "scans_holder_only", N_("Only the holder of lot %(code)s sees how often its page was opened.")
)
SCAN_DAY_OUT_OF_RANGE_DETAIL = Message("day_out_of_range", N_("The day is out of range."))
SCAN_DAY_OUT_OF_RANGE = Message("day_out_of_range", N_("Give a day between %(first)s and %(last)s."))
SCAN_RANGE_REVERSED_DETAIL = Message("range_reversed", N_("The range ends before it starts."))
SCAN_RANGE_REVERSED = Message("range_reversed", N_("The first day must not be after the last day."))
SCAN_RANGE_TOO_LONG_DETAIL = Message("range_too_long", N_("The range is too long."))
SCAN_RANGE_TOO_LONG = Message("range_too_long", N_("Ask for at most %(days)s days at a time."))

# Imports (the sheet report: English in message_en, the catalog's Vietnamese in message)
SHEET_REJECTED = Message(
    "sheet_rejected", N_("The sheet was not imported: %(count)s problem(s); nothing was written. See problems.")
)
IMPORT_ROW = Message("import_row", N_("Row %(row)s: %(problem)s"))
IMPORT_ROW_COLUMN = Message("import_row", N_('Row %(row)s, column "%(column)s": %(problem)s'))
COLUMN_MISSING = Message(
    "column_missing", N_("this column is missing (row 1 must name the columns as in the template)")
)
SHEET_NO_ROWS = Message("sheet_no_rows", N_("the sheet has no data rows"))
SHEET_TOO_MANY_ROWS = Message("sheet_too_many_rows", N_("The sheet has more than %(max)s rows; split it."))
SHEET_EMPTY = Message("sheet_empty", N_("The sheet is empty: its first row must name the columns as in the template."))
CSV_NOT_UTF8 = Message("csv_not_utf8", N_("Save the CSV file as UTF-8 (Excel: 'CSV UTF-8')."))
XLSX_UNREADABLE = Message("xlsx_unreadable", N_("The Excel (.xlsx) file cannot be read; start from the template."))
XLSX_UNPACKS_TOO_LARGE = Message(
    "xlsx_too_large",
    N_("The Excel file unpacks to more than %(mb)s MB; remove data or split it into several files."),
)
SHEET_FILE_TOO_LARGE = Message("file_too_large", N_("The file is larger than 5 MB."))
IMPORT_KIND_UNKNOWN = Message("import_kind_unknown", N_("Unknown import kind."))
IMPORT_KIND_CHOICES = Message("import_kind_unknown", N_("Use one of: %(allowed)s."))
TEMPLATE_UNKNOWN = Message("template_unknown", N_("Unknown template."))
TEMPLATE_CHOICES = Message("template_unknown", N_("Use one of: %(allowed)s as .csv or .xlsx."))

# Pages: what the pages say themselves, before a service is asked (a field the form must fill).
DATE_INVALID = Message("date_invalid", N_("Enter a date."))
RECEIVER_REQUIRED = Message("receiver_required", N_("Choose who receives the lot."))
REFERENCE_TOO_LONG = Message("reference_too_long", N_("At most 100 characters."))
CORRECTION_REASON_REQUIRED = Message(
    "correction_reason_required", N_("Say whether the record did not happen or holds wrong data.")
)


# Splits
TOO_MANY_PARTS = Message("too_many_parts", N_("Too many parts."))
AT_MOST_PARTS = Message("too_many_parts", N_("At most %(count)s parts at a time."))
GIVE_ONE_PART = Message("no_parts", N_("Give at least one part."))
PARTS_EXCEED_BATCH = Message(
    "mass_balance", N_("The parts add up to %(total)s %(unit)s but batch %(code)s has %(left)s %(unit)s left.")
)
PARTS_EXCEED_REMAINING = Message(
    "mass_balance", N_("The parts add up to %(total)s %(unit)s; at most %(left)s %(unit)s remain.")
)

# Merges
MERGE_NEEDS_TWO = Message("merge_needs_two", N_("A merge needs two lots."))
CHOOSE_TWO_TO_MERGE = Message("merge_needs_two", N_("Choose at least two different lots to merge."))
TOO_MANY_LOTS = Message("too_many_inputs", N_("Too many lots."))
AT_MOST_LOTS = Message("too_many_inputs", N_("At most %(count)s lots at a time."))
LOTS_OF_DIFFERENT_PRODUCTS = Message("different_products", N_("Lots of different products."))
MERGE_SAME_PRODUCT = Message("different_products", N_("Only lots of the same product and grade can be merged."))
MERGED_LOT_TOO_LARGE = Message("quantity_too_large", N_("The merged lot is too large."))
MERGE_MIXES_EUDR = Message(
    "merge_mixes_eudr",
    N_("Some merged lots are EUDR-ready and others are not: the merged lot is not EUDR-ready."),
)

# The ledger (every operation's mass balance)
BATCH_OVERDRAWN = Message(
    "mass_balance", N_("Batch %(code)s has %(left)s %(unit)s left; %(asked)s %(unit)s was asked.")
)
AT_MOST_REMAIN = Message("mass_balance", N_("At most %(left)s %(unit)s remain in batch %(code)s."))

# Marketplace claims on a lot
LOT_CLAIMED = Message(
    "quantity_claimed",
    N_(
        "Lot %(code)s has %(left)s %(unit)s left, of which %(claimed)s %(unit)s is claimed by open marketplace "
        "orders; at most %(free)s %(unit)s can be taken, %(asked)s %(unit)s was asked."
    ),
)
LOT_CLAIMED_FIELD = Message(
    "quantity_claimed",
    N_(
        "%(claimed)s %(unit)s of lot %(code)s is reserved or sold on the marketplace and not yet shipped: at most "
        "%(free)s %(unit)s can be taken."
    ),
)

# Harvests and process steps
NOT_HARVESTED = Message(
    "not_harvested", N_("%(product)s does not come straight from a plot; record a transformation instead.")
)
PRODUCT_OF_OTHER_COMMODITY = Message("wrong_commodity", N_("%(product)s is %(commodity)s, not %(given)s."))
CHOOSE_HARVEST_PLOTS = Message("no_plots", N_("Choose the plots the harvest comes from."))
UNKNOWN_ORIGIN_HAS_NO_PLOTS = Message("unknown_origin_plots", N_("A harvest of unknown origin has no plots."))
CHOOSE_HARVEST_HOLDER = Message("no_organization", N_("Choose the organization that holds the harvest."))
MAY_NOT_HARVEST_FOR = Message("forbidden", N_("You may not record harvests for this organization."))
NO_PLOT_OF_YOURS = Message("unknown_plot", N_("No plot %(id)s of yours."))
PLOT_DOES_NOT_GROW = Message("wrong_commodity", N_("Plot %(name)s does not grow %(commodity)s."))
STEP_ADDS_WEIGHT = Message("step_adds_weight", N_("A step cannot add weight: batch %(code)s holds %(left)s %(unit)s."))
DIFFERENT_HOLDERS = Message("different_holders", N_("Batches of different holders."))
SAME_HOLDER_NEEDED = Message("different_holders", N_("All batches must be held by the same organization."))

# Event input (when, where, which step, which photos)
FIELDS_INVALID = Message("invalid", N_("Some fields are not valid; see errors."))
INVALID_TIME = Message("invalid_time", N_("Invalid time."))
GIVE_ISO_TIME = Message("invalid_time", N_("Give a date and time in ISO 8601, e.g. 2026-03-01T08:30:00+07:00."))
TIME_IN_FUTURE = Message("time_in_future", N_("The time is in the future."))
THIS_TIME_IN_FUTURE = Message("time_in_future", N_("This time is in the future."))
INVALID_HARVEST_PERIOD = Message("invalid_harvest_period", N_("Invalid harvest period."))
DATE_OR_RANGE = Message("invalid_harvest_period", N_("Give either a harvest date or a start and end, not both."))
MISSING_HARVEST_DATE = Message("missing_harvest_date", N_("Missing harvest date."))
ENTER_HARVEST_DATE = Message("missing_harvest_date", N_("Enter the harvest date."))
HARVEST_IN_FUTURE = Message("harvest_in_future", N_("The harvest date is in the future."))
HARVEST_NOT_IN_FUTURE = Message("harvest_in_future", N_("The harvest date cannot be in the future."))
HARVEST_ENDS_BEFORE_START = Message("invalid_harvest_period", N_("The harvest cannot end before it starts."))
INVALID_QUANTITY = Message("invalid_quantity", N_("Invalid quantity."))
QUANTITY_NOT_A_NUMBER = Message("invalid_quantity", N_("Enter a number."))
ENTER_ABOVE_ZERO = Message("invalid_quantity", N_("Enter a quantity above zero."))
QUANTITY_TOO_LARGE = Message("quantity_too_large", N_("The quantity is too large."))
AT_MOST_4_DECIMALS = Message("invalid_quantity", N_("Use at most 4 decimals."))
INVALID_UNIT = Message("invalid_unit", N_("Invalid unit."))
USE_ONE_OF = Message("invalid_choice", N_("Use one of: %(choices)s."))
MISSING_DRC = Message("drc_missing", N_("Missing DRC."))
LATEX_NEEDS_ITS_DRC = Message("drc_missing", N_("Field latex needs its dry rubber content (DRC %)."))
UNEXPECTED_DRC = Message("unexpected_drc", N_("Unexpected DRC."))
DRC_ONLY_FOR_LATEX = Message("unexpected_drc", N_("A DRC is only given for latex, not %(product)s."))
INVALID_DRC = Message("invalid_drc", N_("Invalid DRC."))
DRC_IS_A_PERCENTAGE = Message("invalid_drc", N_("The DRC is a percentage between 0 and 100."))
MISSING_STEP = Message("missing_step", N_("Missing step."))
CHOOSE_A_STEP = Message("missing_step", N_("Choose a step."))
UNKNOWN_STEP = Message("unknown_step", N_("Unknown step."))
UNKNOWN_STEP_NAMED = Message("unknown_step", N_("Unknown step %(step)s."))
UNKNOWN_DISPOSITION = Message("unknown_disposition", N_("Unknown disposition."))
UNKNOWN_DISPOSITION_NAMED = Message("unknown_disposition", N_("Unknown disposition %(disposition)s."))
UNKNOWN_PLOT = Message("unknown_plot", N_("Unknown plot."))
UNKNOWN_COMMUNE = Message("unknown_commune", N_("Unknown commune."))
UNKNOWN_COMMUNE_CODE = Message("unknown_commune", N_("Unknown commune code %(commune)s."))
TOO_MANY_PHOTOS = Message("too_many_photos", N_("Too many photos."))
AT_MOST_PHOTOS = Message("too_many_photos", N_("At most %(count)s photos per event."))
UNKNOWN_PHOTOS = Message("unknown_photo", N_("Unknown photos."))
UPLOAD_PHOTO_FIRST = Message("unknown_photo", N_("Unknown photo; upload it first."))

# Reading and acting on batches
NO_BATCH_WITH_CODE = Message("batch_not_found", N_("No batch with code %(code)s that you may see."))
BATCH_IN_TRANSIT = Message(
    "batch_in_transit", N_("Batch %(code)s is in transit; it can be acted on once the receiver confirms receipt.")
)
BATCH_IN_TRANSIT_SHORT = Message("batch_in_transit", N_("Batch %(code)s is in transit."))
READ_NOT_ACT = Message("forbidden", N_("You may read batch %(code)s but not act on it."))
NOTHING_LEFT = Message("batch_used_up", N_("Nothing is left of batch %(code)s."))
BATCH_RECALLED = Message(
    "batch_recalled", N_("Batch %(code)s is recalled; it can no longer be processed, shipped or sold.")
)

# Custody (shipping and receiving)
UNKNOWN_RECEIVER = Message("unknown_receiver", N_("Unknown receiver."))
NO_SUCH_ORGANIZATION = Message("unknown_receiver", N_("No such organization."))
SAME_ORGANIZATION = Message("same_organization", N_("Same organization."))
ALREADY_HELD_HERE = Message("same_organization", N_("The lot is already held by this organization."))
ONLY_RECEIVER_CONFIRMS = Message("forbidden", N_("Only the receiving organization confirms receipt."))
ALREADY_RECEIVED = Message("already_received", N_("This shipment was already received."))
NO_SUCH_SHIPMENT = Message("not_found", N_("No such shipment that you may see."))

# Corrections
NO_SUCH_EVENT = Message("not_found", N_("No such event that you may see."))
ONLY_RECORDER_CORRECTS = Message("forbidden", N_("Only the organization that recorded an event may correct it."))
UNKNOWN_REASON = Message("invalid_choice", N_("Unknown reason."))
ALREADY_CORRECTED = Message("already_corrected", N_("This event was already corrected."))
CANNOT_UNDO_OPERATION = Message(
    "cannot_undo",
    N_(
        "A %(operation)s made other lots or moved custody and cannot be declared as not having occurred; correct the "
        "lots it made instead."
    ),
)
QUANTITY_NOT_CORRECTABLE = Message("quantity_not_correctable", N_("Quantity not correctable here."))
ONLY_HARVEST_QUANTITY = Message(
    "quantity_not_correctable", N_("Only a harvest's quantity is corrected this way (reason incorrect_data).")
)
WHICH_LOT = Message("which_lot", N_("Which lot?"))
SAY_WHICH_LOT = Message("which_lot", N_("This event touched several lots; say which one the corrective step is for."))
ALREADY_USED = Message(
    "batch_already_used", N_("Some of batch %(code)s was already used; correct what was made from it first.")
)

# Recalls
RECALL_REASON_MISSING = Message("reason_missing", N_("The reason is missing."))
RECALL_SAY_WHY = Message("reason_missing", N_("Say why the lot is recalled (at least 5 characters)."))
RECALL_REASON_TOO_LONG = Message("reason_too_long", N_("The reason is too long."))
AT_MOST_2000_CHARACTERS = Message("reason_too_long", N_("At most 2,000 characters."))
ONLY_HOLDER_RECALLS = Message("forbidden", N_("Only the holder of lot %(code)s or a department officer may recall it."))
ALREADY_RECALLED = Message("already_recalled", N_("Lot %(code)s and every lot made from it are already recalled."))

# EUDR readiness
EUDR_UNKNOWN_ORIGIN = Message(
    "eudr_unknown_origin", N_("Some of this lot comes from outside the platform, from plots nobody recorded.")
)
EUDR_NO_PLOTS = Message("eudr_no_plots", N_("The lot has no origin plots."))
EUDR_PLOT_PROBLEM = Message("eudr_plot", N_("Plot %(name)s (#%(id)s): %(problem)s"))

# Hash-chain verification
CHAIN_CONTENT_CHANGED = Message("content_changed", N_("The event's stored content no longer matches its hash."))
CHAIN_LINK_BROKEN = Message(
    "link_broken", N_("The event's link to the previous event of batch %(code)s does not match that event.")
)
