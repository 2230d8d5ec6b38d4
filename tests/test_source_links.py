"""Links to sources: catalogue endpoints for a figure's inputs and an exhibit's series, addresses in text."""

from __future__ import annotations

from generator.catalogue import CATALOGUE
from generator.source_links import figure_links, series_keys, series_links, text_links


def test_inputs_name_series_as_dicts_or_keys():
    inputs = [{"series": "ust10y", "date": "2025-02-06"}, {"series": "ust3m"}, "ust10y", {"other": 1}]
    assert series_keys(inputs) == ("ust10y", "ust3m")
    assert series_keys(None) == ()


def test_a_series_with_a_web_endpoint_is_one_link_labelled_by_publisher_and_code():
    links = series_links(["ust10y", "ust10y", "acm_tp10"], "zh")
    assert [link.url for link in links] == [CATALOGUE["ust10y"].endpoint, CATALOGUE["acm_tp10"].endpoint]
    assert links[0].label == "圣路易斯联储FRED DGS10"
    assert links[0].short == "DGS10"
    assert series_links(["ust10y"], "en")[0].label == "FRED (St. Louis Fed) DGS10"


def test_endpoints_that_are_not_addresses_give_no_link():
    not_urls = [key for key, spec in CATALOGUE.items() if not spec.endpoint.startswith("http")]
    templated = [key for key, spec in CATALOGUE.items() if "{" in spec.endpoint]
    assert not_urls  # the catalogue has both kinds, so the assertion below checks something
    assert templated
    assert series_links([*not_urls, *templated, "no-such-series"], "en") == []
    assert series_links(["wam_months"], "en", 2025) == []  # {Nth}-Quarter: no year fills it


def test_a_yearly_endpoint_is_filled_with_the_observation_year():
    (link,) = series_links(["par10y"], "en", 2025)
    assert "/daily-treasury-rates.csv/2025/all?" in link.url
    figure = {"date": "2024-12-31", "inputs": [{"series": "par10y"}, {"series": "par2y"}]}
    assert [link.url for link in figure_links(figure, "zh")] == [
        CATALOGUE["par10y"].endpoint.replace("{YEAR}", "2024")
    ]


def test_a_long_code_is_shortened_to_the_publisher_name():
    (link,) = series_links(["bund10y"], "en")
    assert link.short == "Deutsche Bundesbank"
    assert link.url.startswith("https://api.statistiken.bundesbank.de/")


def test_addresses_written_in_a_source_become_links():
    source = (
        "US Treasury, refunding statement of 2025-02-03, "
        "https://home.treasury.gov/news/press-releases/sb0007; analyst input"
    )
    (link,) = text_links(source)
    assert link.url == "https://home.treasury.gov/news/press-releases/sb0007"
    assert link.label == "home.treasury.gov"


def test_figure_links_put_input_series_first_and_add_addresses_once():
    figure = {
        "source": "FRED DGS10, https://example.org/note.",
        "source_zh": "圣路易斯联储FRED DGS10，https://example.org/note",
        "inputs": [{"series": "ust10y"}],
    }
    assert [link.url for link in figure_links(figure, "en")] == [
        CATALOGUE["ust10y"].endpoint,
        "https://example.org/note",
    ]


def test_without_inputs_the_codes_a_source_names_give_the_links():
    ecb_code = "YC.B.U2.EUR.4F.G_N_A.SV_C_YM.SR_3M"
    figure = {"source": f"FRED (St. Louis Fed) DGS10, DGS3MO; European Central Bank {ecb_code}"}
    assert [link.url for link in figure_links(figure, "en")] == [
        CATALOGUE[key].endpoint for key in ("ust3m", "ust10y", "eur3m_aaa")
    ]
    # a code is only taken with its publisher: "Japan" is a TIC row, not the Ministry of Finance's
    assert figure_links({"source": "Ministry of Finance Japan 10年"}, "en") == []
