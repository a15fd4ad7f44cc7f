# %% [markdown]
# # policygraph from Python
#
# Pull the graph's answers into pandas: measures as a DataFrame, a cities ×
# domains pivot for blockchain, mention counts as a chart, the evidence
# behind one cell, and a plain-language question.
#
# Start the server first (`go run ./cmd/policygraph serve`); set
# `POLICYGRAPH_URL` if it is not on http://127.0.0.1:8080.

# %%
import os
import sys

import matplotlib
import matplotlib.ticker

if "ipykernel" not in sys.modules:
    matplotlib.use("Agg")  # no display outside a notebook: write the chart to a file
import matplotlib.pyplot as plt
import pandas as pd
import requests

API = os.environ.get("POLICYGRAPH_URL", "http://127.0.0.1:8080").rstrip("/")


def get(path, **params):
    """GET an API path and return its JSON, raising the API's own error message."""
    r = requests.get(f"{API}{path}", params=params, timeout=30)
    if not r.ok:
        raise RuntimeError(r.json()["error"]["message"])
    return r.json()


# %% [markdown]
# ## Every measure, one row each

# %%
measures = pd.DataFrame(get("/v1/measures", limit=100000)["rows"])
print(f"{len(measures)} measures in {measures['plan'].nunique()} plans of {measures['city'].nunique()} cities")

# %% [markdown]
# ## Cities × domains for blockchain
#
# A measure's link to a technology is `explicit` when the plan names it and
# `inferred` when only the analyst does; a cell shows the strongest.

# %%
links = measures.explode("technologies").dropna(subset=["technologies"])
links["technology"] = links["technologies"].map(lambda t: t["technology"])
links["basis"] = links["technologies"].map(lambda t: t["basis"])
blockchain = links[links["technology"] == "blockchain"].explode("domains").dropna(subset=["domains"])
blockchain["rank"] = blockchain["basis"].map({"explicit": 0, "inferred": 1, "extracted": 2})
pivot = (
    blockchain.sort_values("rank")
    .groupby(["domains", "city"])["basis"].first()
    .unstack("city").fillna("")
)
print(pivot.to_string())

# %% [markdown]
# ## How often the plans name each technology

# %%
mentions = pd.read_csv(f"{API}/v1/mentions?format=csv")
totals = mentions[mentions["cities"] == "beijing;fuzhou;shanghai"].set_index("technology")["count"].sort_values()
ax = totals.plot.barh(title="Mentions in the three cities' plans")
ax.set_xlabel("mentions (5G: more than 70; the IoT row is uncertain)")
plt.tight_layout()
chart = os.environ.get("POLICYGRAPH_CHART", "mentions.png")
plt.savefig(chart, dpi=110)
print("mentions:", ", ".join(f"{t} {n}" for t, n in totals.items()))
print("chart written to", chart)

# %% [markdown]
# ## The evidence behind one cell: Fuzhou, blockchain, finance

# %%
matrix = get("/v1/compare", technology="blockchain", cities="beijing,shanghai,fuzhou")
cell = next(c for c in matrix["cells"] if c["domain"] == "finance" and c["city"] == "fuzhou")
print(f"fuzhou × finance: {cell['basis']}")
for m in cell["measures"]:
    row = measures.set_index("id").loc[m]
    print(f"  {m}: {row['evidence']['summary']} [{row['evidence']['source']}, section {row['evidence']['section']}]")

# %% [markdown]
# ## Who named blockchain first: a panel and an adoption curve
#
# `/v1/panel` is a long-format city × year panel, one row per city, year and
# technology, that event-history models read as it is: `adopted` is 1 from
# the year of a city's first plan naming the technology, `event` only in
# that year. `/v1/timeline` lists each city's first such plan, with the date
# it rests on and the cumulative number of adopters. `basis=explicit` counts
# only plans that name the technology in their own words.

# %%
panel = pd.read_csv(f"{API}/v1/panel?unit=city&period=year&technology=blockchain&basis=explicit&format=csv")
first = panel[panel["event"] == 1]
print(f"panel: {len(panel)} rows, {panel['unit'].nunique()} cities × {panel['period'].nunique()} years;",
      "adopters:", ", ".join(f"{r.unit} {r.period}" for r in first.itertuples()))
timeline = pd.read_csv(f"{API}/v1/timeline?technology=blockchain&basis=explicit&format=csv", parse_dates=["date"])
fig, ax = plt.subplots()
ax.step(timeline["date"], timeline["adopters"], where="post", marker="o")
for r in timeline.itertuples():
    ax.annotate(r.name, (r.date, r.adopters), textcoords="offset points", xytext=(4, -12))
ax.set_title("Cities whose plans name blockchain")
ax.set_ylabel("adopters (cumulative)")
ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
fig.autofmt_xdate()
curve = os.environ.get("POLICYGRAPH_CURVE", "adoption.png")
fig.savefig(curve, dpi=110)
print("first to name blockchain:", " → ".join(f"{r.city} {r.date:%Y-%m-%d}" for r in timeline.itertuples()))

# %% [markdown]
# ## Ask in plain words (English or Chinese)

# %%
answer = get("/v1/ask", q="哪些城市将区块链应用于金融？")
print("read as", answer["interpretation"]["query"])
print(pd.DataFrame(answer["rows"])[["city", "basis", "measures"]].to_string(index=False))
