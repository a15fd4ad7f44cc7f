"""Builds notebook.ipynb from quickstart.py, so the two never drift apart.

Cells in the script start with "# %%" (code) or "# %% [markdown]" (text,
each line a comment). Run it after editing the script; `--check` exits 1
when the committed notebook is out of date (CI runs that).
"""
import json
import pathlib
import sys

here = pathlib.Path(__file__).parent
script = (here / "quickstart.py").read_text(encoding="utf-8")


def cells(src):
    out = []
    for chunk in src.split("# %%")[1:]:
        head, _, body = chunk.partition("\n")
        body = body.strip("\n")
        if head.strip() == "[markdown]":
            lines = [line[2:] if line.startswith("# ") else line.lstrip("#") for line in body.splitlines()]
            out.append({"cell_type": "markdown", "metadata": {}, "source": "\n".join(lines).splitlines(keepends=True)})
        else:
            out.append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                        "source": body.splitlines(keepends=True)})
    return out


notebook = {
    "cells": cells(script),
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                 "language_info": {"name": "python"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}
text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
target = here / "notebook.ipynb"
if "--check" in sys.argv:
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        print("examples/notebook.ipynb is out of date: run python3 examples/build_notebook.py", file=sys.stderr)
        sys.exit(1)
    print("examples/notebook.ipynb matches quickstart.py")
else:
    target.write_text(text, encoding="utf-8")
    print("wrote", target)
