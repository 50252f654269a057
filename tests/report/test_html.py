"""The HTML report: one self-contained file with every figure, that opens offline."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from benchlearn import LinearRegression
from benchlearn.report.html import write_html_report

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append(value)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"conc": np.repeat([0, 25, 125, 250, 500, 750, 1000], 3)}, index=range(2, 23))
    y = pd.Series(0.1 + 0.0011 * X["conc"] + rng.normal(0, 0.01, 21), index=X.index, name="A562")
    y.loc[10] += 0.15
    model = LinearRegression().fit(X, y)
    path = tmp_path_factory.mktemp("report") / "report.html"
    return write_html_report(model, X, y, path, source="bca.csv")


def test_report_is_self_contained_html_with_every_plot(report):
    text = report.read_text()
    parser = Collector()
    parser.feed(text)
    assert parser.tags.count("svg") == 4
    for figure in ["fit", "residuals", "qq", "leverage"]:
        assert f'<figure id="{figure}">' in text
    external = [u for u in parser.urls if u.startswith(("http:", "https:", "//"))]
    assert external == []
    assert "<script" not in text and "@import" not in text
    assert "url(http" not in text and "url(//" not in text  # url(#clip) references stay inside


def test_report_reads_the_result_in_plain_words_and_names_the_outlier_row(report):
    text = report.read_text()
    assert "For each increase of 1 in conc, A562 increases by" in text
    assert "Row 10 is an outlier" in text
    assert "bca.csv" in text


@pytest.mark.browser
def test_report_renders_in_chromium_without_any_network_request(report, chromium):
    requests: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    page = chromium.new_page(viewport={"width": 1000, "height": 1400})
    try:
        page.on("request", lambda request: requests.append(request.url))
        page.goto(report.as_uri())
        page.wait_for_load_state("networkidle")
        assert page.locator("figure svg").count() == 4
        assert page.get_by_role("heading", name="What the fit says").is_visible()
        page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    finally:
        page.close()
    assert all(url.startswith(("file:", "data:")) for url in requests), requests


BIG = 10_000


@pytest.fixture(scope="module")
def big_report(tmp_path_factory) -> str:
    """The report of a 10,000-row fit whose heavy-tailed noise flags hundreds of rows."""
    rng = np.random.default_rng(19)
    X = pd.DataFrame({"conc": rng.uniform(0, 10, BIG)}, index=range(2, BIG + 2))
    y = pd.Series(0.05 + 0.6 * X["conc"] + 0.05 * rng.standard_t(3, BIG), index=X.index,
                  name="signal")  # fmt: skip
    model = LinearRegression().fit(X, y)
    path = tmp_path_factory.mktemp("big") / "report.html"
    return write_html_report(model, X, y, path, source="assay.csv").read_text()


def test_the_report_of_a_big_fit_stays_small(big_report):
    # about 0.4 MB whatever the number of rows (0.41 MB at 1,000,000 rows, benchmarks/README.md)
    assert len(big_report.encode()) < 700_000


def test_a_big_fits_figures_are_rasterized_densities_not_one_vector_mark_per_row(big_report):
    parser = Collector()
    parser.feed(big_report)
    assert parser.tags.count("svg") == 4
    assert parser.tags.count("image") >= 3  # the fit, residuals and leverage densities
    # vector marks are the glyphs of the text and the Q-Q plot's 1,000 quantiles, whatever the
    # number of rows; one mark per row would be 3 x 10,000 here
    assert parser.tags.count("use") < 3_000


def test_a_big_fit_lists_only_the_rows_worth_looking_at_and_counts_the_others(big_report):
    table = big_report[big_report.index("<h2>Rows to look at</h2>") :]
    table = table[: table.index("</table>")]
    listed = table.count("<tr>") - 1  # the header row
    assert 0 < listed <= 20
    more = re.search(r"(\d+) more rows are flagged as outliers or influential", big_report)
    assert more is not None and int(more.group(1)) > 300
