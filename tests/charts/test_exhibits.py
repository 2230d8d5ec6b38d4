"""The twelve exhibits: each renders from synthetic data and from ../shared/data, deterministically, once."""

from __future__ import annotations

import functools
import io
import re
from datetime import date
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest

from charts import palette, render
from charts.exhibits import EXHIBITS
from generator import parallel
from generator.catalogue import CATALOGUE
from generator.errors import ConfigError
from generator.store import LoadedSeries, Store, load_store, observations_from_frames

AS_OF = date(2025, 2, 7)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _walk(dates: pd.DatetimeIndex, start: float, step: float, seed: int) -> np.ndarray:
    """Return a reproducible random walk from ``start`` with daily steps of about ``step``."""
    steps = np.random.default_rng(seed).normal(0.0, step, len(dates))
    return start + np.cumsum(steps)


def _synthetic_values() -> dict[str, pd.Series]:
    """Return plausible made-up series (catalogue units) for every key the exhibits read."""
    days = pd.bdate_range("2012-01-02", "2025-02-07")
    month_ends = pd.date_range("1999-01-31", "2025-01-31", freq="ME")
    month_starts = pd.date_range("2010-01-01", "2025-01-01", freq="MS")
    months = np.arange(len(month_ends))
    values = {
        "ust3m": _walk(days, 1.0, 0.02, 1).clip(0.01),
        "ust2y": _walk(days, 1.5, 0.03, 2).clip(0.05),
        "ust10y": _walk(days, 2.5, 0.04, 3).clip(0.5),
        "ust30y": _walk(days, 3.0, 0.04, 4).clip(1.0),
        "acm_tp10": _walk(days, 0.5, 0.02, 5),
        "eur3m_aaa": _walk(days, 0.5, 0.015, 6),
        "bund10y": _walk(days, 1.5, 0.03, 7),
        "jgb10y": _walk(days, 0.4, 0.01, 8),
    }
    series = {key: pd.Series(data, index=days) for key, data in values.items()}
    series["jpy3m_interbank"] = pd.Series(np.linspace(0.05, 0.4, len(month_starts)), index=month_starts)
    bills = 1500 + 25 * months + 300 * np.sin(months / 9)
    notes = 2000 + 30 * months
    bonds = 500 + 15 * months
    tips = 200 + 6 * months
    frn = np.where(month_ends >= pd.Timestamp("2014-01-31"), 300.0, 0.0)
    debt = {"mspd_bills": bills, "mspd_notes": notes, "mspd_bonds": bonds, "mspd_tips": tips}
    debt["mspd_frn"] = frn
    debt["mspd_marketable"] = bills + notes + bonds + tips + frn
    series.update({key: pd.Series(data, index=month_ends) for key, data in debt.items()})
    series["wam_months"] = pd.Series(58 + 14 * np.sin(months / 60), index=month_ends).round()
    mmf_total = 3000 + 8 * months
    series["mmf_total"] = pd.Series(mmf_total, index=month_ends)
    series["mmf_treasury"] = pd.Series(mmf_total * (0.2 + 0.25 * np.sin(months / 40) ** 2), index=month_ends)
    series["foreign_holdings"] = pd.Series(1000 + 25 * months, index=month_ends)
    series["foreign_holdings_japan"] = pd.Series(400 + 3 * months, index=month_ends)
    series["foreign_holdings_china"] = pd.Series(100 + 6 * months - 0.02 * months**2, index=month_ends)
    flows = np.random.default_rng(9).normal(60, 70, len(month_ends))
    series["tic_net_lt_purchases"] = pd.Series(flows, index=month_ends)
    return series


def synthetic_store() -> Store:
    """Return a store of synthetic series; published dates follow each series' catalogue lag."""
    loaded = {}
    for key, values in _synthetic_values().items():
        spec = CATALOGUE[key]
        frame = pd.DataFrame({"date": values.index, "value": values.to_numpy() / spec.scale})
        loaded[key] = LoadedSeries(spec, observations_from_frames(spec, [("synthetic", frame)]), ())
    return Store(loaded, origin="demo")


def synthetic_tariffs() -> pd.DataFrame:
    """Return a made-up tariff-scenario table in the analyst-input shape."""
    rows = [
        ("US", "美国", "Scenario A", "情景A", -0.2, 0.4),
        ("US", "美国", "Scenario B", "情景B", -0.4, 0.9),
        ("China", "中国", "Scenario A", "情景A", -0.1, None),
        ("China", "中国", "Scenario B", "情景B", -0.3, None),
        ("Canada", "加拿大", "Scenario A", "情景A", -1.0, None),
        ("Canada", "加拿大", "Scenario B", "情景B", -2.5, None),
        ("Mexico", "墨西哥", "Scenario A", "情景A", -1.5, None),
        ("Mexico", "墨西哥", "Scenario B", "情景B", -3.0, None),
    ]
    columns = ["country", "country_zh", "scenario", "scenario_zh", "gdp_impact_pct", "inflation_impact_pp"]
    return pd.DataFrame(rows, columns=columns)


@pytest.fixture(scope="module")
def view():
    return synthetic_store().as_of(AS_OF)


@pytest.fixture(scope="module")
def tariffs() -> pd.DataFrame:
    return synthetic_tariffs()


def test_registry_has_twelve_consistent_exhibits() -> None:
    assert list(EXHIBITS) == [f"E{number:02d}" for number in range(1, 13)]
    for exhibit_id, exhibit in EXHIBITS.items():
        assert exhibit.id == exhibit_id
        assert exhibit.draw.__name__.startswith(f"draw_{exhibit_id.lower()}_")
        assert exhibit.data.__name__.startswith(f"data_{exhibit_id.lower()}_")
        assert CJK.search(exhibit.title_zh)
        assert exhibit.source_zh
        assert exhibit.source_en
        assert all(key in CATALOGUE for key in exhibit.series)


def test_palette_matches_the_style_sheet() -> None:
    sheet = mpl.rc_params_from_file(render.HOUSE_STYLE, use_default_template=False)
    colours = ["#" + colour.lstrip("#").lower() for colour in sheet["axes.prop_cycle"].by_key()["color"]]
    assert tuple(colours) == palette.CYCLE


@pytest.mark.parametrize("exhibit_id", list(EXHIBITS))
def test_every_exhibit_renders_from_synthetic_data(exhibit_id: str, view, tariffs, tmp_path: Path) -> None:
    exhibit = EXHIBITS[exhibit_id]
    frame = exhibit.frame(view, tariffs)
    assert not frame.empty
    if "date" in frame.columns:
        assert frame["date"].max() <= pd.Timestamp(AS_OF)
        assert frame["date"].min() >= exhibit.start(pd.Timestamp(AS_OF))
    path = render.render_exhibit(exhibit_id, view, tariffs, tmp_path)
    assert path == tmp_path / f"{exhibit_id.lower()}.svg"
    assert path.read_bytes().startswith(b"<?xml")


def test_window_is_configurable(view) -> None:
    exhibit = EXHIBITS["E01"]
    default = exhibit.frame(view)
    short = exhibit.frame(view, window=pd.DateOffset(months=3))
    fixed = exhibit.frame(view, window=pd.Timestamp("2020-01-01"))
    assert default["date"].min() >= pd.Timestamp("2023-02-07")
    assert short["date"].min() >= pd.Timestamp("2024-11-07")
    assert fixed["date"].min() == pd.Timestamp("2020-01-01")
    assert list(default.columns) == ["date", "ust3m_pct", "ust2y_pct", "ust10y_pct", "ust30y_pct"]


def test_rolling_measures_are_complete_at_the_window_start(view) -> None:
    frame = EXHIBITS["E10"].frame(view)
    assert frame["net_lt_purchases_6ma_bn"].notna().all()
    first = frame.iloc[5]
    assert first["net_lt_purchases_6ma_bn"] == pytest.approx(frame["net_lt_purchases_bn"].iloc[:6].mean())


def test_unpublished_months_are_not_plotted(view) -> None:
    """TIC for December 2024 appears on 18 February 2025: as of 7 February the last bar is November."""
    frame = EXHIBITS["E10"].frame(view)
    assert frame["date"].max() == pd.Timestamp("2024-11-30")


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_same_data_give_byte_identical_files(view, tmp_path: Path, fmt: str) -> None:
    first = render.render_exhibit("E07", view, None, tmp_path / "a", fmt=fmt).read_bytes()
    second = render.render_exhibit("E07", view, None, tmp_path / "b", fmt=fmt).read_bytes()
    assert first == second
    if fmt == "svg":
        assert b"<dc:date>" not in first


@pytest.fixture
def drawn(monkeypatch) -> list[str]:
    """The ids of the exhibits drawn (not copied or reused) in this process, in order."""
    ids: list[str] = []
    original = render.draw_figure

    def counting(exhibit, frame, fmt):
        ids.append(exhibit.id)
        return original(exhibit, frame, fmt)

    monkeypatch.setattr(render, "draw_figure", counting)
    return ids


def test_cache_skips_unchanged_exhibits(view, tariffs, tmp_path: Path, drawn: list[str]) -> None:
    with parallel.serial():  # counted in this process (otherwise every other one is drawn in a child)
        paths = render.render_all(view, tariffs, tmp_path)
    assert sorted(drawn) == sorted(EXHIBITS)
    mtimes = {exhibit_id: path.stat().st_mtime_ns for exhibit_id, path in paths.items()}

    assert render.render_all(view, tariffs, tmp_path) == paths
    assert len(drawn) == 12
    assert {exhibit_id: path.stat().st_mtime_ns for exhibit_id, path in paths.items()} == mtimes

    changed = tariffs.assign(gdp_impact_pct=tariffs["gdp_impact_pct"] * 2)
    render.render_all(view, changed, tmp_path)
    assert drawn[12:] == ["E11"]  # E12 plots the inflation column only, which did not change


def test_an_exhibit_another_date_drew_from_the_same_frame_is_copied_not_drawn(
    view, tariffs, tmp_path: Path, drawn: list[str]
) -> None:
    store = tmp_path / "drawn"
    with parallel.serial():
        first = render.render_all(view, tariffs, tmp_path / "2025-01-03", drawn=store)
        second = render.render_all(view, tariffs, tmp_path / "2025-01-10", drawn=store)
        changed = tariffs.assign(gdp_impact_pct=tariffs["gdp_impact_pct"] * 2)
        third = render.render_all(view, changed, tmp_path / "2025-01-17", drawn=store)
    assert sorted(drawn) == sorted([*EXHIBITS, "E11"])  # the second date drew nothing, the third one
    for exhibit_id in EXHIBITS:
        assert second[exhibit_id].read_bytes() == first[exhibit_id].read_bytes()
        assert second[exhibit_id].parent == tmp_path / "2025-01-10"
    assert third["E11"].read_bytes() != first["E11"].read_bytes()
    assert len(list(store.iterdir())) == 13


def test_cache_redraws_a_deleted_image(view, tmp_path: Path) -> None:
    path = render.render_exhibit("E06", view, None, tmp_path)
    path.unlink()
    assert render.render_exhibit("E06", view, None, tmp_path).is_file()


def test_chinese_text_is_text_drawn_with_the_cjk_font(tariffs, tmp_path: Path) -> None:
    """With svg.fonttype none, chart text stays <text> naming Noto Sans CJK first; placed in a PDF by
    WeasyPrint it is drawn with the embedded Noto CJK face (no tofu, no other font) and reads back."""
    import subprocess

    from weasyprint import HTML

    path = render.render_exhibit("E11", None, tariffs, tmp_path)
    svg = path.read_text(encoding="utf-8")
    assert "<text" in svg
    assert '<path id="DejaVuSans' not in svg  # no glyph outlines
    families = set(re.findall(r"font-family: ([^;\"]+)", svg))
    assert families
    assert all(family.startswith("'Noto Sans CJK SC'") for family in families), families
    pdf = tmp_path / "e11.pdf"
    HTML(string=f'<img src="{path.as_uri()}" alt="E11">').write_pdf(pdf)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    assert names
    assert all("Noto-Sans-CJK" in name for name in names), names
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for word in ("美国", "中国", "加拿大", "墨西哥"):
        assert word in text, word


def test_tariff_table_problems_are_config_errors(tariffs) -> None:
    with pytest.raises(ConfigError, match="gdp_impact_pct"):
        EXHIBITS["E11"].frame(None, tariffs.drop(columns="gdp_impact_pct"))
    with pytest.raises(ConfigError, match="two rows for US / Scenario A"):
        EXHIBITS["E11"].frame(None, pd.concat([tariffs, tariffs.iloc[:1]]))


def test_no_tariff_scenario_on_file_draws_an_empty_exhibit_that_says_so() -> None:
    frame = EXHIBITS["E12"].frame(None, None)
    assert frame.empty
    assert "inflation_impact_pp" in frame.columns
    assert EXHIBITS["E12"].sources(None, None)[1].endswith("no scenario on file as of this date")


def test_unknown_format_is_refused(view, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown exhibit format"):
        render.render_exhibit("E01", view, None, tmp_path, fmt="gif")


@pytest.mark.parametrize("exhibit_id", list(EXHIBITS))
def test_every_exhibit_renders_from_shared_data(
    exhibit_id: str, shared_data: Path, tariffs, tmp_path: Path
) -> None:
    exhibit = EXHIBITS[exhibit_id]
    specs = tuple(CATALOGUE[key] for key in exhibit.series)
    store = load_store(shared_data, specs)
    assert not store.problems, store.problems
    view = store.as_of(AS_OF)
    frame = exhibit.frame(view, tariffs)
    assert not frame.empty
    if "date" in frame.columns:
        assert frame["date"].max() <= pd.Timestamp(AS_OF)
    path = render.render_exhibit(exhibit_id, view, tariffs, tmp_path)
    assert path.stat().st_size > 5_000


@pytest.fixture(scope="module")
def demo_view(tmp_path_factory):
    from generator.data import DEMO, DataRequest, open_store

    return open_store(DataRequest(DEMO, cache_dir=tmp_path_factory.mktemp("demo"))).as_of(AS_OF)


def test_every_exhibit_renders_from_demo_data(demo_view, tariffs, tmp_path: Path) -> None:
    paths = render.render_all(demo_view, tariffs, tmp_path)
    assert sorted(paths) == sorted(EXHIBITS)
    for exhibit_id, path in paths.items():
        assert path.stat().st_size > 5_000, exhibit_id
        frame = EXHIBITS[exhibit_id].frame(demo_view, tariffs)
        if "date" in frame.columns:
            assert frame["date"].max() <= pd.Timestamp(AS_OF)


def test_tariff_exhibits_render_from_the_shipped_analyst_table(tmp_path: Path) -> None:
    from generator.inputs import load_inputs

    rows = load_inputs().tariff_scenarios
    table = pd.DataFrame([row.model_dump() for row in rows])
    for exhibit_id in ("E11", "E12"):
        frame = EXHIBITS[exhibit_id].frame(None, table)
        assert set(frame["country"]) <= set(table["country"])
        assert render.render_exhibit(exhibit_id, None, table, tmp_path).is_file()


@pytest.mark.parametrize("exhibit_id", ["E11", "E12"])
def test_tariff_legends_fit_the_figure_and_values_keep_the_stated_decimals(exhibit_id: str) -> None:
    """Scenario names are long sentences in two languages: every legend line stays inside the figure
    (a Chinese name, which has no spaces to wrap at, ran off its right edge), and a value PIIE states as
    "2 percent" is labelled -2, not -2.00."""
    from matplotlib import style
    from matplotlib.figure import Figure

    from charts.render import HOUSE_STYLE
    from generator.inputs import load_inputs

    table = pd.DataFrame([row.model_dump() for row in load_inputs().tariff_scenarios])
    exhibit = EXHIBITS[exhibit_id]
    with style.context(HOUSE_STYLE, after_reset=True):
        figure = Figure()
        exhibit.plot(figure.subplots(), exhibit.frame(None, table))
        figure.savefig(io.BytesIO(), format="svg")  # lays the figure out as a build does
        renderer = figure._get_renderer()
        edge = figure.bbox
        (legend,) = figure.legends
        for text in legend.get_texts():
            box = text.get_window_extent(renderer)
            assert edge.x0 <= box.x0, text
            assert box.x1 <= edge.x1, text
            assert edge.y0 <= box.y0, text
            assert box.y1 <= edge.y1, text
        labels = {text.get_text() for text in figure.axes[0].texts}
    assert labels == ({"-2"} if exhibit_id == "E11" else {"0.2", "0.3"})


def test_a_series_with_nothing_in_the_window_has_no_legend_entry() -> None:
    """Before Aug 2021 the euro hedge cannot be computed and before 2024 the Bund is monthly only: the
    legend listed the hedged line nobody could see, and the solid daily Bund beside a dotted line."""
    from matplotlib import style
    from matplotlib.figure import Figure

    from charts.render import HOUSE_STYLE

    dates = pd.date_range("2020-01-03", periods=60, freq="W-FRI")
    frame = pd.DataFrame(
        {
            "date": dates,
            "ust10y_pct": np.linspace(1.0, 1.7, 60),
            "hedged_ust10y_eur_pct": np.nan,
            "bund10y_pct": np.nan,
            "bund10y_monthly_pct": np.where(dates.is_month_end | (dates.day <= 7), -0.4, np.nan),
        }
    )
    with style.context(HOUSE_STYLE, after_reset=True):
        axes = Figure().subplots()
        EXHIBITS["E07"].draw(axes, frame)
        legend = axes.get_legend()
        labels = [text.get_text() for text in legend.get_texts()]
        handles = legend.legend_handles
    assert labels == ["UST 10Y 美债", "Bund 10Y 德债"]
    assert handles[1].get_linestyle() != "-"  # the dotted monthly line is the one listed

    frame.loc[50:, "bund10y_pct"] = -0.3  # daily values in the window: the solid line is the legend's
    with style.context(HOUSE_STYLE, after_reset=True):
        axes = Figure().subplots()
        EXHIBITS["E07"].draw(axes, frame)
        labels = [text.get_text() for text in axes.get_legend().get_texts()]
    assert labels == ["UST 10Y 美债", "Bund 10Y 德债"]


@functools.cache
def _shared_store(data_dir: Path) -> Store:
    return load_store(data_dir)


@pytest.mark.parametrize("as_of", [date(2021, 11, 5), date(2023, 3, 17), date(2025, 2, 7)])
def test_every_real_exhibit_keeps_a_plot_area_most_of_its_width(shared_data, as_of) -> None:
    """A legend wider than the plot made constrained layout squeeze E07's axes to 40% of the panel
    (2021-11-05), with its dates printed over each other."""
    from matplotlib import style
    from matplotlib.figure import Figure

    from charts.render import HOUSE_STYLE
    from generator.build import tariff_frame
    from generator.inputs import load_inputs

    view = _shared_store(shared_data).as_of(as_of)
    tariffs = tariff_frame(load_inputs(None), as_of)
    for exhibit in EXHIBITS.values():
        frame = exhibit.frame(view, tariffs)
        if frame.empty:
            continue
        with style.context(HOUSE_STYLE, after_reset=True):
            figure = Figure()
            exhibit.plot(figure.subplots(), frame)
            figure.savefig(io.BytesIO(), format="svg")
            width = figure.axes[0].get_position().width
        assert width > 0.6, (exhibit.id, round(width, 2))


def test_wrap_cjk_breaks_chinese_by_width_after_punctuation():
    from charts.exhibits import wrap_cjk

    text = "美国对中国额外加征10%关税、中国对等反制：初期回落后的通胀（未注明年份）"
    lines = wrap_cjk(text, 44).split("\n")
    assert "".join(lines) == text
    wide = "，、：（）"
    assert all(sum(2 if "\u4e00" <= c <= "\u9fff" or c in wide else 1 for c in line) <= 44 for line in lines)
    assert lines[0].endswith("：")  # broken after the colon in the line's last quarter, not before 期
    assert wrap_cjk("US 25% tariff", 66) == "US 25% tariff"


def test_e10_names_slt_table_4_only_once_its_months_are_shown():
    """SLT table 4 starts with Feb 2023; a note of 2021 named it as its source."""
    early = synthetic_store().as_of(date(2022, 6, 30))
    late = synthetic_store().as_of(date(2024, 6, 28))
    zh, en = EXHIBITS["E10"].sources(early)
    assert "SLT" not in en
    assert "SLT" not in zh
    assert "S-form" in en
    assert "SLT table 4 from Feb 2023" in EXHIBITS["E10"].sources(late)[1]


def test_e07_credits_the_oecd_monthly_bund_alone_while_the_daily_one_is_missing():
    full = synthetic_store()
    without_daily = Store({key: item for key, item in full.series.items() if key != "bund10y"}, origin="demo")
    zh, en = EXHIBITS["E07"].sources(without_daily.as_of(date(2022, 6, 30)))
    credited = en.split("; not available as of")[0]
    assert "Bundesbank" not in credited
    assert "OECD monthly average 10-year Bund yield" in credited
    assert "德意志联邦银行" not in zh.split("；截至")[0]
    assert "not available as of 2022-06-30: 10-year Bund yield" in en  # why only the monthly is drawn
    assert "Deutsche Bundesbank" in EXHIBITS["E07"].sources(full.as_of(date(2024, 6, 28)))[1]


def test_parse_window():
    from charts.exhibits import parse_window

    assert parse_window("3y") == pd.DateOffset(years=3)
    assert parse_window("18m") == pd.DateOffset(months=18)
    assert parse_window("2010-01-01") == pd.Timestamp("2010-01-01")
    with pytest.raises(ValueError, match="write a window"):
        parse_window("soon")


def test_exhibits_drawn_in_two_processes_match_those_drawn_in_one(view, tariffs, tmp_path: Path) -> None:
    beside = render.render_all(view, tariffs, tmp_path / "two")
    with parallel.serial():
        alone = render.render_all(view, tariffs, tmp_path / "one")
    assert {key: path.read_bytes() for key, path in beside.items()} == {
        key: path.read_bytes() for key, path in alone.items()
    }


@pytest.mark.parametrize(
    ("make", "span"),
    [
        (lambda mdates: mdates.MonthLocator(bymonth=(1, 4, 7, 10)), ("2024-02-07", "2025-02-07")),
        (lambda mdates: mdates.YearLocator(2), ("2012-01-02", "2025-02-07")),
    ],
)
def test_date_ticks_computed_once_are_the_locators_own(make, span):
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure

    from charts.exhibits import _ticks_once

    plain, once = Figure().subplots(), Figure().subplots()
    start, end = pd.Timestamp(span[0]), pd.Timestamp(span[1])
    plain.xaxis.set_major_locator(make(mdates))
    kept = make(mdates)
    kept.__class__ = _ticks_once(type(kept))
    once.xaxis.set_major_locator(kept)
    for axes in (plain, once):
        axes.set_xlim(start, end)
    assert list(once.xaxis.get_majorticklocs()) == list(plain.xaxis.get_majorticklocs())
    # a later change of the view (E10 widens it for its bars) gives that view's ticks, not the kept ones
    for axes in (plain, once):
        axes.set_xlim(start - pd.Timedelta(days=400), end)
    assert list(once.xaxis.get_majorticklocs()) == list(plain.xaxis.get_majorticklocs())
    assert len(plain.xaxis.get_majorticklocs()) > 2


def test_e07_is_titled_without_the_hedged_yield_while_the_ecb_rate_is_missing() -> None:
    class View:
        def __init__(self, absent: set[str]) -> None:
            self.absent = absent

        def available(self, key: str) -> bool:
            return key not in self.absent

    e07 = EXHIBITS["E07"]
    assert e07.titles(View(set())) == (e07.title_zh, e07.title_en)
    assert "hedged" in e07.title_en
    title_zh, title_en = e07.titles(View({"eur3m_aaa"}))
    assert "hedged" not in title_en
    assert "Bund" in title_en
    assert "对冲" not in title_zh
    assert "德债" in title_zh
    # a missing daily Bund alone leaves the hedged line, and the title, in place (the monthly one is dotted)
    assert e07.titles(View({"bund10y"})) == (e07.title_zh, e07.title_en)
