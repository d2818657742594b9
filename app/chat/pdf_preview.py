"""A received PDF's first page as a small picture, rendered by PDFium (pypdfium2) in a child
process of its own.

Why a child: a PDF comes from anyone, and PDFium is C++ parsing it. In a child a hostile
file can at worst crash or spin *that* process — it is given CPU seconds and an address-space
cap (`limit_self`), the parent waits `TIMEOUT` seconds and kills it by its PID — while the
window's thread only waits on a pipe. The page is rendered at the scale that fits `BOX`, so a
20 000×20 000 pt page costs a 180×180 bitmap, never its full size. The picture is written as
a binary PPM (P6): a format Qt reads itself, no imaging library needed.

    python -m app.chat.pdf_preview SOURCE.pdf TARGET.ppm
exits 0 with TARGET written, or non-zero (not a PDF, encrypted, broken, no page, …).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import sys
from pathlib import Path

log = logging.getLogger("linedesk.chat.pdf_preview")

BOX = (240, 180)  # the thumbnail's box, as ui/chat/thumbs.BOX
TIMEOUT = 15.0  # seconds the parent waits for a child (start ≈ 0.2 s, a page ≈ 0.05 s)
CPU_SECONDS = 10  # the child's CPU limit (RLIMIT_CPU: SIGXCPU, then SIGKILL)
MEMORY = 1024 * 1024 * 1024  # the child's data limit, bytes (RLIMIT_DATA)
MAX_SIDE_PT = 200_000.0  # a page side claimed larger is not believed (PDF's own limit: 14 400)


def limit_self() -> None:
    """Bound this process: CPU seconds and data memory (Linux/macOS; no-op elsewhere)."""
    try:
        import resource
    except ImportError:  # Windows: the parent's timeout still bounds it
        return
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_DATA, (MEMORY, MEMORY))


def fit_scale(width_pt: float, height_pt: float, box: tuple[int, int] = BOX) -> float:
    """Pixels per point so that the page fits `box` (never zero: at least one pixel a side)."""
    if not (math.isfinite(width_pt) and math.isfinite(height_pt)):
        raise ValueError("page size is not a number")
    if not (0 < width_pt <= MAX_SIDE_PT and 0 < height_pt <= MAX_SIDE_PT):
        raise ValueError(f"page size {width_pt}×{height_pt} pt")
    return min(box[0] / width_pt, box[1] / height_pt)


def render_first_page(source: Path, target: Path, box: tuple[int, int] = BOX) -> tuple[int, int]:
    """The first page of `source` scaled to fit `box`, written to `target` as a PPM (written
    whole, then renamed); its (width, height) in pixels. Raises on any bad PDF."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    document = pdfium.PdfDocument(str(source))
    try:
        if len(document) < 1:
            raise ValueError("no pages")
        page = document[0]
        try:
            width_pt, height_pt = page.get_size()
            scale = fit_scale(width_pt, height_pt, box)
            bitmap = page.render(
                scale=scale,
                rotation=0,
                may_draw_forms=False,
                force_bitmap_format=pdfium_c.FPDFBitmap_BGR,
                rev_byteorder=True,  # RGB, as PPM wants it
                fill_color=(255, 255, 255, 255),
            )
            try:
                w, h, stride = bitmap.width, bitmap.height, bitmap.stride
                if not (0 < w <= box[0] + 1 and 0 < h <= box[1] + 1):
                    raise ValueError(f"rendered {w}×{h}")
                raw = bytes(bitmap.buffer)
            finally:
                bitmap.close()
        finally:
            page.close()
    finally:
        document.close()
    rows = b"".join(raw[y * stride : y * stride + 3 * w] for y in range(h))
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(b"P6\n%d %d\n255\n" % (w, h) + rows)
    os.replace(partial, target)
    return w, h


async def render_in_child(source: Path, target: Path, seconds: float = TIMEOUT) -> bool:
    """`render_first_page` in a bounded child process; False when it failed or took too long
    (logged; `target` not written)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app.chat.pdf_preview",
        str(source),
        str(target),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(seconds):
            _out, err = await proc.communicate()
    except (TimeoutError, asyncio.CancelledError) as e:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()  # ours, by its PID
        await proc.wait()
        with contextlib.suppress(OSError):
            target.with_name(target.name + ".part").unlink()
        if isinstance(e, asyncio.CancelledError):
            raise
        log.warning("PDF preview of %s: no answer in %.0f s, stopped", source.name, seconds)
        return False
    if proc.returncode != 0:  # 0: the picture was written whole (then renamed)
        why = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        log.info("PDF preview of %s failed (exit %s): %s", source.name, proc.returncode, why[0])
        return False
    return True


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m app.chat.pdf_preview SOURCE.pdf TARGET.ppm", file=sys.stderr)
        return 2
    limit_self()
    try:
        render_first_page(Path(argv[0]), Path(argv[1]))
    except Exception as e:  # a bad PDF: said on stderr for the parent's log
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
