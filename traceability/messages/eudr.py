"""The EUDR package of a rubber lot: its geolocation file and due-diligence information."""

from core.messages import N_, Message

EUDR_NOT_APPLICABLE = Message(
    "eudr_not_applicable",
    N_("Lot %(code)s is %(commodity)s: the EU Deforestation Regulation covers rubber, not cashew or pepper."),
)
EUDR_GEOJSON_TOO_LARGE = Message(
    "eudr_geojson_too_large",
    N_(
        "The geolocation of lot %(code)s would make a GeoJSON file of %(size)s MB, more than the %(limit)s MB the "
        "EU Information System accepts in one due diligence statement."
    ),
)
