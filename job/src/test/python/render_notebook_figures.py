"""Runs a notebook's code cells headless (matplotlib's Agg renderer) and saves every figure it shows.

Usage: render_notebook_figures.py NOTEBOOK RESULTS.json OUT_DIR

The notebook's queries are not run here: RESULTS.json holds, for each query text, the columns and rows
that the JVM test got by running that query with Spark against a real job run's tables (pyspark is not
packaged for Debian). spark.read.format("binaryFile") reads the file a file: URI names.
"""
import json
import pathlib
import sys
import types
from urllib.parse import urlparse

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

notebook, exported, out = sys.argv[1:4]
results = json.load(open(exported))


class QueryResult:
    def __init__(self, text):
        self.result = results[text.strip()]

    def toPandas(self):
        return pd.DataFrame.from_records(self.result["rows"], columns=self.result["columns"])


class BinaryFile:
    def __init__(self, uri):
        self.path = pathlib.Path(urlparse(uri).path)

    def select(self, *columns):
        return self

    def first(self):
        return {"content": self.path.read_bytes()}


class Reader:
    def parquet(self, path):
        return types.SimpleNamespace(createOrReplaceTempView=lambda name: None)

    def format(self, name):
        assert name == "binaryFile", name
        return types.SimpleNamespace(load=BinaryFile)


class Session:
    read = Reader()

    def sql(self, text):
        return QueryResult(text)


builder = types.SimpleNamespace()
builder.appName = lambda name: builder
builder.getOrCreate = lambda: Session()
sys.modules["pyspark"] = types.ModuleType("pyspark")
sys.modules["pyspark.sql"] = types.SimpleNamespace(SparkSession=types.SimpleNamespace(builder=builder))
sys.modules["IPython"] = types.SimpleNamespace(get_ipython=lambda: None)  # matplotlib asks it for a shell
sys.modules["IPython.display"] = types.SimpleNamespace(HTML=lambda html: html, display=lambda obj: None)

shown = []


def show():
    path = pathlib.Path(out) / ("figure%d.png" % len(shown))
    plt.gcf().savefig(path, dpi=60)
    plt.close("all")
    shown.append(path)


plt.show = show
scope = {}
for cell in json.load(open(notebook))["cells"]:
    if cell["cell_type"] == "code":
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        exec(compile(source, "notebook cell", "exec"), scope)
print(len(shown))
