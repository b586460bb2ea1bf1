"""Plots, their geometry and EUDR readiness, and certificates."""

from core.messages import N_, Message

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
