"""The explorer notebook in JupyterLab, run the way a PM runs it: Run > Run All Cells."""

from browser_helpers import open_in_lab, run_all_cells


def test_lab_runs_the_explorer(jupyterlab, page):
    open_in_lab(page, jupyterlab, "00_start_here.ipynb")
    run_all_cells(page)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    page.wait_for_selector(".jp-OutputArea-output")
    assert page.console_log.unexpected() == []
