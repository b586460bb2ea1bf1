"""Writing a reportlab sheet page by page to its output file, so that memory stays flat in the number of pages.

reportlab's canvas keeps every page it was shown (its dictionary, its content
stream) in memory until ``save``, a few kilobytes a page. A label sheet's pages
all share the same resources (the two forms, the embedded fonts), so the sheet
is written in two parts:

- the first page goes through reportlab as usual: ``save`` writes it with the
  forms, the fonts (subset to every character drawn on any page) and the
  document information into a small in-memory PDF of constant size;
- every later page's content stream is formatted as reportlab would format it
  (same filters, same text) and spooled to a temporary file as soon as the page
  is drawn; its page dictionary is a copy of the first page's with its own
  contents.

``finish`` then copies the objects of the small PDF (all but its page tree),
each spooled page, a page tree listing every page, and the cross-reference
table to ``out``. What stays in memory is one offset per object and one size per
spooled page.
"""

from __future__ import annotations

import re
import tempfile
from array import array
from typing import BinaryIO

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen import canvas

_KIDS_PER_WRITE = 500


class PageSpool:
    """Pages 2 onwards of a canvas whose first page went through ``showPage``."""

    def __init__(self, pdf: canvas.Canvas) -> None:
        self.pdf = pdf
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close(), after finish
        self.sizes = array("Q")

    def close(self) -> None:
        self.file.close()

    def take_page(self) -> None:
        """Instead of ``showPage``: the page just drawn, formatted as reportlab's ``showPage`` and ``save`` would
        format its content stream, goes to the spool, and the canvas starts a new page."""
        pdf = self.pdf
        code = [*pdf._code, " "]
        text = "\n".join([*pdf._psCommandsBeforePage, pdf._preamble, *code, *pdf._psCommandsAfterPage]) + "\n"
        filters = None
        if pdf._pageCompression:
            filters = [pdfdoc.PDFBase85Encode, pdfdoc.PDFZCompress] if rl_config.useA85 else [pdfdoc.PDFZCompress]
        body = pdfdoc.PDFStream(content=text, filters=filters).format(pdf._doc)
        self.file.write(body)
        self.sizes.append(len(body))
        pdf._startPage()

    def finish(self, out: BinaryIO) -> None:
        """Save the canvas (its first page) and write the whole sheet to ``out``."""
        first = _SmallPdf(self.pdf)
        written = [0]

        def write(data: bytes) -> None:
            out.write(data)
            written[0] += len(data)

        write(first.data[: first.offsets[1]])  # header
        size = first.size + 2 * len(self.sizes)
        offsets = array("Q", bytes(8 * size))
        for number in sorted(range(1, first.size), key=lambda n: first.offsets[n]):
            if number != first.pages:
                offsets[number] = written[0]
                write(first.object(number))
        before, after = first.page_template()
        self.file.seek(0)
        for index, length in enumerate(self.sizes):
            page = first.size + 2 * index
            offsets[page] = written[0]
            write(b"%d 0 obj\n%s%d%s" % (page, before, page + 1, after))
            offsets[page + 1] = written[0]
            write(b"%d 0 obj\n%sendobj\n" % (page + 1, self.file.read(length)))
        offsets[first.pages] = written[0]
        kids = [first.page, *range(first.size, size, 2)]
        write(b"%d 0 obj\n<<\n/Count %d /Kids [ " % (first.pages, len(kids)))
        for start in range(0, len(kids), _KIDS_PER_WRITE):
            write(b"".join(b"%d 0 R " % kid for kid in kids[start : start + _KIDS_PER_WRITE]))
        write(b"] /Type /Pages\n>>\nendobj\n")
        xref = written[0]
        write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for start in range(1, size, _KIDS_PER_WRITE):
            write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets[start : start + _KIDS_PER_WRITE]))
        write(first.trailer(size) + b"startxref\n%d\n%%%%EOF\n" % xref)


class _SmallPdf:
    """The one-page PDF reportlab saves, read back by its cross-reference table."""

    def __init__(self, pdf: canvas.Canvas) -> None:
        self.data = data = pdf.getpdfdata()
        self.xref = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data).group(1))
        table, trailer = data[self.xref :].split(b"trailer", 1)
        rows = table.split(b"\n")
        assert rows[0] == b"xref" and rows[1].startswith(b"0 "), "unexpected cross-reference table"
        self.size = int(rows[1].split()[1])
        self.offsets = [int(row[:10]) for row in rows[2 : 2 + self.size]]
        self._trailer = b"trailer" + trailer[: trailer.index(b"startxref")]
        root = int(re.search(rb"/Root (\d+) 0 R", self._trailer).group(1))
        self.pages = int(re.search(rb"/Pages (\d+) 0 R", self.object(root)).group(1))
        kids = re.search(rb"/Kids \[ (\d+) 0 R \]", self.object(self.pages))
        assert kids, "the first part should hold exactly one page"
        self.page = int(kids.group(1))

    def object(self, number: int) -> bytes:
        start = self.offsets[number]
        ends = [offset for offset in self.offsets[1:] if offset > start]
        chunk = self.data[start : min(ends) if ends else self.xref]
        assert chunk.startswith(b"%d 0 obj\n" % number), f"object {number} not where the table says"
        return chunk

    def page_template(self) -> tuple[bytes, bytes]:
        """The first page's dictionary (after "N 0 obj\\n") cut around the number of its contents."""
        body = self.object(self.page).split(b"\n", 1)[1]
        found = re.search(rb"/Contents (\d+) 0 R", body)
        return body[: found.start(1)], body[found.end(1) :]

    def trailer(self, size: int) -> bytes:
        return re.sub(rb"/Size \d+", b"/Size %d" % size, self._trailer)
