"""Widget tests run without a browser: controls' ``.value`` is set, ``.result`` is read."""

import ipywidgets
import pytest


@pytest.fixture(autouse=True)
def _close_widgets():
    yield
    ipywidgets.Widget.close_all()
