"""A widget's display bundle with a text form in words, for where widgets do not render.

A saved notebook exported to HTML, a strictly checked cell or a terminal shows
a widget's ``text/plain``, which ipywidgets writes as ``VBox(children=(…``.
The apps replace it with a sentence; JupyterLab and Voilà still show the live
widget (its view has the higher priority).
"""

from __future__ import annotations


def with_text(widget, text, *, markdown=None, **kwargs):
    """``widget``'s ``_repr_mimebundle_`` with ``text/plain`` set to ``text`` (and ``text/markdown`` if given)."""
    bundle = widget._repr_mimebundle_(**kwargs)
    data, meta = bundle if isinstance(bundle, tuple) else (bundle, None)
    data = {**(data or {}), "text/plain": text}
    if markdown is not None:
        data["text/markdown"] = markdown
    return data if meta is None else (data, meta)
