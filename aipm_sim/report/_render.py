"""Execute the report template (papermill) and render it without code (nbconvert).

The inputs are checked in this process first (:func:`analyse`), so that a
bad scenario, parameter or data file fails in a fraction of a second with
its own message, before any kernel starts; then the template shipped in
``aipm_sim/reports/`` runs in a fresh kernel with the same inputs, and the
executed notebook becomes one self-contained HTML file (figures embedded as
PNG), written to a temporary file and renamed, so that the output appears
whole or not at all.
"""

from __future__ import annotations

import math
import os
import tempfile
import warnings
from importlib import resources
from pathlib import Path

from .._output import OutputPathError, atomic_output
from ..core.errors import ParameterError
from ._analysis import analyse

#: The template notebook, in ``aipm_sim/reports/``.
TEMPLATE = "decision_report.ipynb"
#: Kernel the template runs in: the current environment's Python.
KERNEL = "python3"
#: Longest a report may take to execute, in seconds.
TIMEOUT = 600
FORMATS = ("html", "pdf")

MSG_FORMAT = "format must be one of {}; found {!r}"
MSG_FOLDER = "output folder {!r} does not exist"
MSG_OUTPUT_IS_FOLDER = "output {!r} is a folder: give the report's file name, e.g. {!r}"
MSG_FOLDER_NOT_WRITABLE = "cannot write the report {!r}: its folder {!r} is not writable ({})"
MSG_KERNEL_ERROR = "the report could not be computed: {}: {}"
MSG_STDERR = "the report template wrote to stderr (left out of the report): {}"
MSG_NO_PDF = (
    "--format pdf needs Chromium at {} and playwright (pip install playwright); "
    "use the default HTML format instead"
)

#: Chromium used to print a PDF (Debian's package; never a download).
CHROMIUM = os.environ.get("AIPM_SIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def template_path():
    """Path of the report template shipped with the package."""
    return Path(str(resources.files("aipm_sim") / "reports" / TEMPLATE))


def report_parameters(**inputs):
    """The papermill parameters for ``inputs`` (those of :func:`analyse`): plain, JSON-able values.

    Data and scenario file paths are made absolute, since the template runs
    in a temporary folder.
    """
    params = {}
    for name, given in inputs.items():
        if given is None:
            continue
        if name == "data" or (name == "scenario" and _is_path(given)):
            given = str(Path(given).resolve())
        elif name == "date":
            given = given.isoformat()
        elif name in ("overrides", "value", "constraints"):
            given = {str(k): _plain(v) for k, v in dict(given).items()}
        params[name] = _plain(given)
    return params


def _is_path(scenario):
    """True when ``scenario`` names a file rather than a preset (as :func:`aipm_sim.load_scenario` decides)."""
    text = str(scenario)
    return isinstance(scenario, Path) or text.endswith(".toml") or "/" in text or "\\" in text


def _plain(v):
    if isinstance(v, float) and not math.isfinite(v):
        raise ParameterError(f"report parameters must be finite numbers; found {v!r}")
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        return v.item()
    return v


def execute_report(parameters, *, workdir):
    """Run the template with ``parameters`` in ``workdir``; return the executed notebook."""
    import papermill

    out = Path(workdir) / "report.ipynb"
    try:
        nb = papermill.execute_notebook(
            str(template_path()), str(out), parameters=parameters, cwd=str(workdir),
            kernel_name=KERNEL, progress_bar=False, log_output=False, request_save_on_cell_execute=False,
            execution_timeout=TIMEOUT,
            # The kernel's own log (e.g. "running over TCP without encryption") is for
            # developers, not for the person making a report.
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )
    except papermill.PapermillExecutionError as exc:
        raise RuntimeError(MSG_KERNEL_ERROR.format(exc.ename, exc.evalue)) from None
    return nb


def strip_stderr(nb):
    """Remove stderr streams from ``nb``'s outputs (in place); return their text.

    A report shows results only; whatever a library printed to stderr is
    handed back so that the caller can pass it on as a warning.
    """
    removed = []
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                removed.append("".join(output.get("text", "")).strip())
            else:
                kept.append(output)
        cell["outputs"] = kept
    return [r for r in removed if r]


#: The memo's print layout: A4, text of at least 8 pt, headings kept with what follows them and
#: figures never split; the fraud preset fits on four pages. The screen layout is nbconvert's.
PRINT_CSS = """
<style id="aipm-report-print">
@page { size: A4; margin: 8mm 10mm; }
@media print {
  body, .jp-Notebook { padding: 0 !important; margin: 0 !important; }
  .jp-Cell, .jp-Cell-outputWrapper, .jp-OutputArea-child, .jp-OutputArea-output { padding: 0 !important; margin: 0 !important; }
  /* Plain blocks that let their content overflow (JupyterLab's are tables with overflow: auto, which
     Chromium prints as one unbreakable piece): a long table then breaks across pages instead of
     leaving half a page empty. */
  .jp-Cell, .jp-Cell-outputWrapper, .jp-OutputArea, .jp-OutputArea-child, .jp-OutputArea-output,
  .jp-RenderedHTMLCommon { display: block !important; overflow: visible !important; }
  /* JupyterLab keeps every output on one page (break-inside: avoid-page): only figures need that. */
  .jp-OutputArea-child { break-inside: auto !important; page-break-inside: auto !important; }
  .jp-OutputPrompt, .jp-InputPrompt { display: none !important; }
  .jp-RenderedHTMLCommon { font-size: 8.4pt; line-height: 1.2; padding: 0 !important; }
  .jp-RenderedHTMLCommon p, .jp-RenderedHTMLCommon ul { margin: 0 0 2pt 0; }
  .jp-RenderedHTMLCommon li { margin: 0; }
  .jp-RenderedHTMLCommon h1 { font-size: 15pt; margin: 0 0 3pt 0; }
  .jp-RenderedHTMLCommon h2 { font-size: 11.5pt; margin: 5pt 0 1pt 0; break-after: avoid; page-break-after: avoid; }
  .jp-RenderedHTMLCommon h3 { font-size: 10pt; margin: 3pt 0 1pt 0; break-after: avoid; page-break-after: avoid; }
  .jp-RenderedHTMLCommon table { font-size: 8pt; line-height: 1.15; margin: 1pt 0 3pt 0; }
  .jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { padding: 0.5pt 3pt; }
  .jp-RenderedHTMLCommon tr { break-inside: avoid; }
  .jp-RenderedHTMLCommon td { vertical-align: top; }
  /* The assumptions and the caveats: lists in table-sized type. */
  #Assumptions + ul, #Caveats + ul { font-size: 8pt; line-height: 1.13; padding-left: 12pt; }
  /* A number never breaks inside ("−2,019,985 EUR" on one line): the words around it wrap instead. */
  .jp-RenderedHTMLCommon td[style*="text-align:right"] { white-space: nowrap; }
  .jp-OutputArea-output img { break-inside: avoid; page-break-inside: avoid; display: block; max-width: 100%; }
  .jp-OutputArea-child:has(img) { break-inside: avoid !important; page-break-inside: avoid !important; }
}
/* A figure half the page wide (ReportFigure.half) shares its row with the next one. */
.jp-Cell:has(.jp-OutputArea-child:only-child img.aipm-half),
.jp-OutputArea-child:not(:only-child):has(img.aipm-half) {
  display: inline-block !important; width: 49.5%; vertical-align: top; break-inside: avoid;
}
.jp-OutputArea-child:not(:only-child):has(img.aipm-half) .jp-OutputArea-output { width: 100%; }
/* A figure beside its text (ReportFigure.side): the right half of the page; the text that follows
   wraps around it, and the next heading or table starts below it. */
.jp-OutputArea-child:has(img.aipm-side) {
  float: right; width: calc(50% - 6pt); margin: 2pt 0 3pt 6pt !important; break-inside: avoid;
}
.jp-RenderedHTMLCommon h2, .jp-RenderedHTMLCommon table { clear: both; }
</style>
"""


def render_html(nb, *, title):
    """The executed notebook as one HTML page without code, prompts or input cells (with :data:`PRINT_CSS`)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab", exclude_input=True, exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return _drop_scripts(body).replace("</head>", PRINT_CSS + "</head>", 1)


def _drop_scripts(html):
    """Remove the CDN scripts of nbconvert's page (require.js, MathJax): a memo needs none.

    The report has no widgets and no formulas; without these tags the file
    opens instantly offline and makes no network request.
    """
    import re

    return re.sub(
        r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>\s*', "", html, flags=re.IGNORECASE,
    )


def print_pdf(html, path):
    """Print ``html`` to a PDF file with Chromium (A4, backgrounds kept).

    Playwright's synchronous API refuses to run where an asyncio loop is
    running (a Jupyter kernel, or another Playwright session), so the
    printing happens in a worker thread of its own.
    """
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise ParameterError(MSG_NO_PDF.format(CHROMIUM)) from None
    if not os.access(CHROMIUM, os.X_OK):
        raise ParameterError(MSG_NO_PDF.format(CHROMIUM))
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_print_pdf, html, path).result()


def _print_pdf(html, path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            # Offline by design: the page needs nothing from the network.
            page.route("**/*", lambda route: route.abort() if route.request.url.startswith("http")
                       else route.continue_())
            page.set_content(html, wait_until="load")
            page.emulate_media(media="print")
            page.pdf(path=str(path), format="A4", print_background=True,
                     margin={"top": "8mm", "bottom": "8mm", "left": "10mm", "right": "10mm"})
        finally:
            browser.close()


def build_report(output, *, format="html", **inputs):
    """Write the decision report for ``inputs`` to ``output``.

    Parameters
    ----------
    output : str or path
        The file to write; it appears only when the whole report succeeded.
    format : {"html", "pdf"}
        HTML (self-contained, images embedded) or PDF (printed by Chromium;
        needs ``/usr/bin/chromium`` and playwright).
    **inputs
        As :func:`aipm_sim.report.analyse`: ``scenario`` and ``overrides``,
        or ``data``, ``score``, ``label``, ``amount``, ``weight``, ``value``,
        ``constraints``, ``volume``; and ``title``, ``period``, ``currency``;
        ``curve``: the curve of ``data`` computed elsewhere (e.g. on Dask),
        handed to the template as a pickle in the report's temporary folder.

    Returns
    -------
    ReportAnalysis
        What the report shows (computed in this process; the same numbers
        as the report, from the same inputs).

    Raises
    ------
    ValueError
        Bad scenario, parameter, data, format or output folder (nothing written).
    """
    if format not in FORMATS:
        raise ParameterError(MSG_FORMAT.format(", ".join(FORMATS), format))
    try:
        # Entered before any work: a bad output path fails in a fraction of a second.
        with atomic_output(output) as tmp:
            analysis = analyse(**inputs)
            curve = inputs.pop("curve", None)
            parameters = report_parameters(**inputs)
            with tempfile.TemporaryDirectory(prefix="aipm_sim_report_") as workdir:
                if curve is not None:
                    import pickle

                    parameters["curve"] = str(Path(workdir) / "curve.pickle")
                    with open(parameters["curve"], "wb") as fh:
                        pickle.dump(curve, fh)
                nb = execute_report(parameters, workdir=workdir)
                for text in strip_stderr(nb):
                    warnings.warn(MSG_STDERR.format(text.splitlines()[-1]), RuntimeWarning, stacklevel=2)
                html = render_html(nb, title=analysis.title)
                if format == "html":
                    tmp.write_text(html, encoding="utf-8")
                else:
                    print_pdf(html, tmp)
    except OutputPathError as exc:
        raise ParameterError(_report_message(exc)) from None
    return analysis


class _Probe(Exception):
    """Leaves :func:`check_output`'s block: the path was checked, nothing is to be written yet."""


def check_output(output):
    """The error :func:`build_report` would give for ``output`` (a folder, a missing folder …), now.

    For callers with long work before the report (a curve on Dask): a bad path
    fails before that work. Writes nothing.
    """
    try:
        with atomic_output(output):
            raise _Probe
    except _Probe:
        pass
    except OutputPathError as exc:
        raise ParameterError(_report_message(exc)) from None


def _report_message(exc):
    """The report's words for an output it cannot write (a folder gets a file name to try)."""
    if exc.problem == "folder":
        return MSG_OUTPUT_IS_FOLDER.format(exc.path, os.path.join(exc.path, "report.html"))
    if exc.problem == "no_folder":
        return MSG_FOLDER.format(exc.folder)
    if exc.problem == "unwritable":
        return MSG_FOLDER_NOT_WRITABLE.format(exc.path, exc.folder, exc.reason)
    return str(exc)
