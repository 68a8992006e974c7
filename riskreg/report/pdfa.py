"""PDF/A-2b: the one place every PDF riskreg writes is completed for the e-arkiv.

ReportLab lays out the pages; ``finish_pdfa`` turns its bytes into a PDF/A-2b file:

- XMP metadata with the PDF/A identification (pdfaid part 2, conformance B), dc:title,
  dc:creator, dc:description (nämnd and dnr), dc:subject (keywords, nämnd, dnr), dc:language,
  pdf:Producer and the dates, and the same in the document information dictionary;
- an sRGB output intent (the profile pikepdf ships for exactly this);
- the viewer shows the title, not the file name (``/DisplayDocTitle``), and the bookmarks
  (``PdfMeta.outline``) open beside the pages;
- dates from the data (``PdfMeta.created``, e.g. the conclusion's or the last review's time,
  in UTC), never the clock, so a rebuild gives the same bytes.

Transparency and unembedded fonts are the renderer's to avoid (an opaque watermark, TrueType
fonts only); ``validate`` checks the finished bytes with pikepdf's PDF/A validator, which
tests and the benchmark call.

Use: ``pdf = finish_pdfa(rendered_bytes, PdfMeta(title=..., author=..., ...))``; import
this module where the PDF is written (it imports pikepdf), ``report.pdfmeta`` anywhere.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files

import pikepdf
from pikepdf import Array, Dictionary, Name, ObjectStreamMode, OutlineItem, Pdf, Stream, String

from riskreg.report.pdfmeta import OutlineEntry, PdfMeta

FLAVOUR = "2b"
PRODUCER = "riskreg (ReportLab, pikepdf)"
# pikepdf's PDF/A validator is imported only by ``validate`` (tests, benchmark): it pulls in
# jsonschema and fontTools, a second or so that every ``report isk`` would otherwise pay.
# The completion itself needs only pikepdf's core and the sRGB profile pikepdf ships for it.
_SRGB = ("pdfa", "data", "sRGB.icc")
# pikepdf.pdfa.resolve_save_kwargs("2b") as of pikepdf 10.18, with a deterministic /ID and
# the streams not decoded (they are already compressed; decoding them only costs time).
_SAVE = {
    "compress_streams": True,
    "object_stream_mode": ObjectStreamMode.generate,
    "deterministic_id": True,
    "stream_decode_level": pikepdf.StreamDecodeLevel.none,  # ReportLab's streams stay as they are
    "fix_metadata_version": False,
}


def finish_pdfa(pdf_bytes: bytes, meta: PdfMeta) -> bytes:
    """The ReportLab output ``pdf_bytes`` completed to PDF/A-2b (see module)."""
    with Pdf.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages:
            # ReportLab writes an empty page transition (/Trans << >>) on every page: no
            # effect in any viewer, but a key the validator does not vouch for.
            if "/Trans" in page.obj and not page.obj.Trans.keys():
                del page.obj.Trans
        pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        if meta.outline:
            _outline(pdf, meta.outline)
            pdf.Root.PageMode = Name.UseOutlines
        pdf.Root.Lang = pikepdf.String(meta.language)
        _output_intent(pdf)
        _xmp(pdf, meta)
        _document_info(pdf, meta)
        out = io.BytesIO()
        pdf.save(out, **_SAVE)
    return out.getvalue()


def validate(pdf_bytes: bytes) -> list[str]:
    """The PDF/A-2b validator's findings about ``pdf_bytes``, one line each; empty when
    the file passes."""
    from pikepdf.pdfa import validate_written

    report = validate_written(io.BytesIO(pdf_bytes), FLAVOUR)
    lines = [str(finding) for finding in report.findings]
    if not report.passed and not lines:
        lines.append(f"verdict {report.verdict}")
    return lines


@cache
def _srgb_profile() -> bytes:
    return files("pikepdf").joinpath(*_SRGB).read_bytes()


def _output_intent(pdf: Pdf) -> None:
    """The one sRGB output intent PDF/A asks for (the colours are RGB)."""
    profile = Stream(pdf, _srgb_profile())
    profile[Name.N] = 3
    intent = Dictionary(
        Type=Name.OutputIntent,
        S=Name.GTS_PDFA1,
        OutputConditionIdentifier=String("sRGB"),
        Info=String("sRGB IEC61966-2.1"),
        DestOutputProfile=profile,
    )
    pdf.Root.OutputIntents = Array([pdf.make_indirect(intent)])


def _outline(pdf: Pdf, entries: tuple[OutlineEntry, ...]) -> None:
    """The bookmarks as a tree: an entry belongs under the last one of a lower level."""
    with pdf.open_outline() as outline:
        parents: list[tuple[int, OutlineItem]] = []
        for entry in entries:
            item = OutlineItem(entry.title, min(entry.page, len(pdf.pages) - 1))
            while parents and parents[-1][0] >= entry.level:
                parents.pop()
            (parents[-1][1].children if parents else outline.root).append(item)
            parents.append((entry.level, item))


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _document_info(pdf: Pdf, meta: PdfMeta) -> None:
    stamp = _utc(meta.created).strftime("D:%Y%m%d%H%M%S+00'00'")
    pdf.docinfo = pdf.make_indirect(
        Dictionary(
            Title=pikepdf.String(meta.title),
            Author=pikepdf.String(meta.author),
            Subject=pikepdf.String(_description(meta)),
            Keywords=pikepdf.String(", ".join(_subjects(meta))),
            Creator=pikepdf.String("riskreg"),
            Producer=pikepdf.String(PRODUCER),
            CreationDate=pikepdf.String(stamp),
            ModDate=pikepdf.String(stamp),
        )
    )


def _description(meta: PdfMeta) -> str:
    dnr = f", dnr {meta.dnr}" if meta.dnr else ""
    return f"{meta.subject}. {meta.committee}{dnr}."


def _subjects(meta: PdfMeta) -> list[str]:
    subjects = [*meta.keywords, meta.committee]
    if meta.dnr:
        subjects.append(f"Dnr {meta.dnr}")
    return list(dict.fromkeys(subjects))


def _xmp(pdf: Pdf, meta: PdfMeta) -> None:
    iso = _utc(meta.created).isoformat(timespec="seconds").replace("+00:00", "Z")
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["dc:title"] = meta.title
        xmp["dc:creator"] = [meta.author]
        xmp["dc:description"] = _description(meta)
        xmp["dc:subject"] = _subjects(meta)
        xmp["dc:language"] = [meta.language]
        xmp["pdf:Producer"] = PRODUCER
        xmp["pdf:Keywords"] = ", ".join(_subjects(meta))
        xmp["xmp:CreatorTool"] = "riskreg"
        xmp["xmp:CreateDate"] = iso
        xmp["xmp:ModifyDate"] = iso
        xmp["xmp:MetadataDate"] = iso
        xmp["pdfaid:part"] = "2"
        xmp["pdfaid:conformance"] = "B"


__all__ = ["FLAVOUR", "OutlineEntry", "PdfMeta", "finish_pdfa", "validate"]
