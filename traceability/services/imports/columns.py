"""The columns of each import sheet and the bilingual wording of its error report.

A sheet's first row names its columns, in Vietnamese as in the template (or in
English, or by field name, for machine-made sheets). Errors name the row as a
spreadsheet shows it (the header is row 1) and the column by its Vietnamese header.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale

from core.geo.names import fold
from core.i18n import translate
from core.messages import Message
from traceability import messages as msg


@dataclass(frozen=True)
class Column:
    key: str
    vi: str  # header in the template; the column's name in error messages
    en: str
    required: bool = False
    example: str = ""
    help_vi: str = ""


PLOT_COLUMNS = (
    Column("name", "tên lô", "plot name", True, "Lô điều sau nhà", "Tên để nhận ra lô đất; không trùng trong một hộ."),
    Column(
        "household",
        "hộ thành viên",
        "household",
        False,
        "Hộ Nguyễn Văn Ba",
        "Tên hoặc mã số của hộ thành viên; để trống nếu lô của chính tổ chức nhập.",
    ),
    Column(
        "commune_code",
        "xã/phường",
        "commune",
        True,
        "25270",
        "Mã xã/phường mới (5 chữ số) hoặc tên, ví dụ «Xã Lộc Ninh».",
    ),
    Column("street", "địa chỉ", "address", False, "Ấp 3", ""),
    Column("area_ha", "diện tích (ha)", "area (ha)", True, "2,5", "Số lớn hơn 0; dấu phẩy thập phân được chấp nhận."),
    Column("crops", "cây trồng", "crops", False, "điều; tiêu", "điều, tiêu, cao su (cách nhau bằng dấu chấm phẩy)."),
    Column("latitude", "vĩ độ", "latitude", False, "11.851234", "Toạ độ GPS, ít nhất 6 chữ số thập phân."),
    Column("longitude", "kinh độ", "longitude", False, "106.581234", "Toạ độ GPS, ít nhất 6 chữ số thập phân."),
    Column(
        "geometry",
        "ranh giới (GeoJSON)",
        "boundary (GeoJSON)",
        False,
        "",
        "Đa giác GeoJSON; bắt buộc cho EUDR khi lô trên 4 ha.",
    ),
    Column("growing_area_code", "mã số vùng trồng", "growing area code", False, "", ""),
    Column(
        "deforestation_free",
        "cam kết không phá rừng sau 31/12/2020",
        "no deforestation after 31 Dec 2020",
        False,
        "có",
        "«có» hoặc «không».",
    ),
)

HARVEST_COLUMNS = (
    Column(
        "plots",
        "lô đất",
        "plots",
        True,
        "Lô điều sau nhà",
        "Tên lô (hoặc mã số lô); nhiều lô cách nhau bằng dấu chấm phẩy.",
    ),
    Column(
        "household",
        "hộ thành viên",
        "household",
        False,
        "Hộ Nguyễn Văn Ba",
        "Hộ giữ lô hàng; để trống thì lấy chủ của lô đất.",
    ),
    Column("product", "sản phẩm", "product", True, "hạt điều thô", "hạt điều thô, tiêu tươi, mủ nước, mủ đông."),
    Column("grade", "hạng", "grade", False, "", ""),
    Column("quantity", "khối lượng", "quantity", True, "1.250,5", "Số lớn hơn 0, ví dụ 1.250,5."),
    Column("unit", "đơn vị", "unit", False, "kg", "kg hoặc tấn (mặc định kg)."),
    Column("drc_percent", "DRC (%)", "DRC (%)", False, "", "Bắt buộc với mủ nước."),
    Column("harvest_start", "ngày thu hoạch", "harvest date", True, "15/01/2026", "ngày/tháng/năm."),
    Column("harvest_end", "đến ngày", "harvest end", False, "", "Nếu thu hoạch nhiều ngày."),
    Column("lot_number", "số lô GS1", "GS1 lot number", False, "", "Tối đa 20 ký tự, không dấu, không khoảng trắng."),
    Column("note", "ghi chú", "note", False, "", ""),
)

COLUMNS = {"plots": PLOT_COLUMNS, "harvests": HARVEST_COLUMNS}


def header_key(text: object) -> str:
    return fold(str(text or ""))


def column_by_header(kind: str) -> dict[str, Column]:
    """Every accepted spelling of each header (Vietnamese, English, field name), folded."""
    result: dict[str, Column] = {}
    for column in COLUMNS[kind]:
        for spelling in (column.vi, column.en, column.key):
            result[header_key(spelling)] = column
    return result


# Vietnamese for the English field messages of the plot and harvest services.
_VI = {
    msg.FIELD_REQUIRED: "không được để trống",
    msg.NAME_TOO_LONG: "tối đa 200 ký tự",
    msg.AREA_INVALID: "phải là số lớn hơn 0",
    msg.AREA_TOO_LARGE: "diện tích quá lớn cho một lô",
    msg.AREA_DECIMALS: "tối đa 4 chữ số thập phân",
    msg.COMMUNE_UNKNOWN: "không phải mã xã/phường hiện hành (5 chữ số) hay tên xã/phường đã biết",
    msg.CROPS_UNKNOWN: "chỉ nhận điều, tiêu, cao su",
    msg.GROWING_AREA_CODE_TOO_LONG: "tối đa 50 ký tự",
    msg.STREET_TOO_LONG: "tối đa 300 ký tự",
    "Enter a number.": "phải là số",
    "Enter a quantity above zero.": "phải là số lớn hơn 0",
    "Use at most 4 decimals and 13 digits before the decimal point.": "tối đa 4 chữ số thập phân",
    "Enter the harvest date.": "thiếu ngày thu hoạch",
    "The harvest date cannot be in the future.": "ngày thu hoạch không được ở tương lai",
    "The harvest cannot end before it starts.": "ngày kết thúc không được trước ngày bắt đầu",
    "Field latex needs its dry rubber content (DRC %).": "mủ nước cần có DRC (%)",
    "The DRC is a percentage between 0 and 100.": "DRC phải từ 0 đến 100 (%)",
    "Choose the plots the harvest comes from.": "thiếu lô đất",
    "Choose the organization that holds the harvest.": "các lô thuộc nhiều hộ khác nhau: ghi rõ hộ thành viên",
    "You may not record harvests for this organization.": "bạn không được ghi thu hoạch cho hộ này",
}
# Messages with a value inside them: matched by their start.
_VI_PREFIX = (
    ("Unknown product", "sản phẩm không có trong danh mục (hạt điều thô, tiêu tươi, mủ nước, mủ đông)"),
    ("Unknown grade", "hạng không đúng với sản phẩm"),
    ("A grade has at most", "hạng tối đa 20 ký tự"),
    ("Use one of", "chỉ nhận kg hoặc tấn"),
    ("A DRC is only given", "chỉ mủ nước mới có DRC"),
    ("No plot", "không tìm thấy lô đất này trong các lô của bạn"),
    ("Plot ", "lô đất không trồng loại cây của sản phẩm này"),
    ("A lot number", "số lô GS1 tối đa 20 ký tự, chữ không dấu, không khoảng trắng"),
    ("The geometry", "ranh giới GeoJSON không hợp lệ"),
    ("This is not GeoJSON", "không phải GeoJSON"),
)


def vietnamese(message: str) -> str:
    """The Vietnamese wording of a service's English field message (a generic one, with the English, if unknown)."""
    if message in _VI:
        return _VI[message]
    for prefix, text in _VI_PREFIX:
        if message.startswith(prefix):
            return text
    return f"giá trị không hợp lệ ({message})"


def in_vietnamese(message: Message) -> str:
    """``message`` as the catalog words it in Vietnamese: the report is for the co-op, whatever the page language."""
    with force_locale("vi"):
        return translate(message)


@dataclass(frozen=True)
class RowProblem:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: Column | None
    message_vi: str
    message_en: str

    @classmethod
    def of(cls, row: int, column: Column | None, message: Message) -> RowProblem:
        return cls(row, column, in_vietnamese(message), str(message))

    def _where(self, problem: str, column: str | None) -> Message:
        # The row as the spreadsheet's margin shows it ("1234", never "1.234").
        if column is None:
            return msg.IMPORT_ROW(row=str(self.row), problem=problem)
        return msg.IMPORT_ROW_COLUMN(row=str(self.row), column=column, problem=problem)

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column.vi if self.column else None,
            "field": self.column.key if self.column else None,
            "message": in_vietnamese(self._where(self.message_vi, self.column.vi if self.column else None)),
            "message_en": str(self._where(self.message_en, self.column.en if self.column else None)),
        }
