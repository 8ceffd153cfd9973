"""Re-execute notebooks in place so that their stored outputs are regenerated.

Usage: python tools/execute_notebooks.py NOTEBOOK.ipynb [...]

Each notebook runs in its own folder with the current environment's
``python3`` kernel, without timing metadata; the widget state that
execution stores (random model ids) is stripped, since nbval never reads it
and it would change on every run.
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path):
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=900,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nbformat.write(nb, path)


def main(paths):
    for p in paths:
        print(f"executing {p}", flush=True)
        execute(p)


if __name__ == "__main__":
    main(sys.argv[1:])
