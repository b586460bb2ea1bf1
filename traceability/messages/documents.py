"""Labels, scans of a lot's public page and sheet imports."""

from core.messages import N_, Message

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
TRACE_PAGES_TOO_FAST = Message(
    "trace_pages_too_fast", N_("Too many different lots opened in a short time. Please wait %(seconds)d seconds.")
)
RESOLVER_TOO_FAST = Message(
    "too_many_requests", N_("Too many product links looked up in a short time. Please wait a little and try again.")
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
