"""What the reports say to people: each message with its stable code and English template (see core.messages)."""

from __future__ import annotations

from core.messages import N_, Message

FILTERS_INVALID = Message("invalid", N_("The report's filters are invalid; see errors."))
PERIOD_INVALID = Message(
    "period_invalid",
    N_("Give a period as a year (2026), a quarter (2026-Q1), a month (2026-03) or a crop season (2025/26)."),
)
COMMODITY_UNKNOWN = Message("commodity_unknown", N_("No commodity %(value)s; choose cashew, pepper or rubber."))
PRODUCT_UNKNOWN = Message("product_unknown", N_("No product %(value)s."))
PRODUCT_NOT_OF_COMMODITY = Message("product_not_of_commodity", N_("Product %(product)s is not of %(commodity)s."))
COMMUNE_UNKNOWN = Message("commune_unknown", N_("No commune or ward %(value)s in the province."))
CERTIFICATION_UNKNOWN = Message(
    "certification_unknown", N_("No certification %(value)s; choose a certificate type or any.")
)
GROUP_BY_UNKNOWN = Message("group_by_unknown", N_("Cannot group by %(value)s; choose from %(allowed)s."))
INTERVAL_UNKNOWN = Message("interval_unknown", N_("Choose month, quarter, year or season."))
SECTION_UNKNOWN = Message("report_section_unknown", N_("No report section %(value)s."))
REPORT_UNKNOWN = Message("report_unknown", N_("No report %(value)s."))
EUDR_UNKNOWN_ORIGIN = Message(
    "eudr_unknown_origin", N_("Some of this lot comes from outside the platform, from plots nobody recorded.")
)
