"""Small PDFs written by hand for the thumbnail tests: a page of a given size in points,
filled blue with an orange block (so a thumbnail's pixels can be told from a blank page),
and one that says it is encrypted."""

from __future__ import annotations

BLUE = (26, 102, 204)  # 0.1 0.4 0.8 rg
ORANGE = (255, 128, 0)  # 1 0.5 0 rg


def make_pdf(width: float, height: float, encrypted: bool = False) -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    w, h = (f"{v:g}".encode() for v in (width, height))
    content = b"0.1 0.4 0.8 rg 0 0 %s %s re f 1 0.5 0 rg %s %s %s %s re f" % (
        w, h, f"{width * 0.1:g}".encode(), f"{height * 0.1:g}".encode(),
        f"{width * 0.5:g}".encode(), f"{height * 0.3:g}".encode(),
    )  # fmt: skip
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Contents 4 0 R >>" % (w, h),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    if encrypted:  # the standard handler with a user password nobody gave
        objects.append(
            b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904"
            b" /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >>"
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    extra = (
        b" /Encrypt 5 0 R /ID [<" + b"33" * 16 + b"> <" + b"33" * 16 + b">]" if encrypted else b""
    )
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, extra, xref,
    )  # fmt: skip
    return bytes(out)
