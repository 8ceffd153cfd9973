"""The start-here notebook in JupyterLab, run the way a PM runs it: Run > Run All Cells."""

from browser_helpers import explorer_journey, open_in_lab, run_all_cells


def test_lab_runs_the_explorer_and_it_responds(jupyterlab, page):
    open_in_lab(page, jupyterlab, "00_start_here.ipynb")
    run_all_cells(page)
    explorer_journey(page, jupyterlab)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert page.console_log.unexpected() == []
