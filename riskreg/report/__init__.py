"""The ISK-bedömning as a PDF (ReportLab), laid out from records only.

Nothing here reads the database: ``riskreg.services.isk.build_report`` hands over an
``IskReport`` record and ``isk_pdf.render_isk`` lays it out.
"""
