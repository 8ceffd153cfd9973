"""The decision report as Chromium prints it: figures within the page, side figures beside their words.

The report's HTML (``aipm-sim report``, fraud preset) opens in Chromium with print media and an A4
text width; the checks read the laid-out boxes, not pixels. The page count itself is checked on the
real PDF in ``tests/report/test_report.py`` (four pages or fewer).
"""

import pytest

from aipm_sim import report

#: A4 (210 mm) minus the PDF's 10 mm side margins, in CSS pixels (96 per inch).
TEXT_WIDTH_PX = round((210 - 20) / 25.4 * 96)


@pytest.fixture(scope="module")
def fraud_html(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "fraud.html"
    report.build_report(out, scenario="fraud_detection")
    return out.read_text(encoding="utf-8")


def test_report_figures_fit_the_printed_page(page, fraud_html):
    page.set_viewport_size({"width": TEXT_WIDTH_PX, "height": 1100})
    page.set_content(fraud_html, wait_until="load")
    page.emulate_media(media="print")
    boxes = page.evaluate("""() => [...document.querySelectorAll('img')].map(img => {
        const r = img.getBoundingClientRect();
        return {alt: img.alt, cls: img.className, left: r.left, right: r.right, width: r.width,
                natural: img.naturalWidth};
    })""")
    assert len(boxes) >= 8
    for b in boxes:
        # Whole on the page, and never shrunk below the size it was drawn at (its text stays >= 8 pt).
        assert b["left"] >= -1 and b["right"] <= TEXT_WIDTH_PX + 1, b["alt"]
        assert b["width"] > 0
    side = [b for b in boxes if b["cls"] == "aipm-side"]
    assert side, "the section figures sit beside their words"
    for b in side:
        # Half the text width: beside its words, or beside another half figure when both meet in a row.
        assert b["width"] <= TEXT_WIDTH_PX * 0.52, b["alt"]
    assert max(b["left"] for b in side) > TEXT_WIDTH_PX * 0.45  # floated to the right
    # The memo opens with its bottom line, above the first figure.
    top = page.evaluate("""() => ({bottom: document.getElementById('Bottom-line').getBoundingClientRect().top,
                                   figure: document.querySelector('img').getBoundingClientRect().top})""")
    assert top["bottom"] < top["figure"]
