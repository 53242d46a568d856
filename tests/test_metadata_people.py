"""Unit tests of byline splitting and agency recognition."""

from __future__ import annotations

from copydesk.metadata.agencies import agency_credit, match_agency
from copydesk.metadata.people import MAX_AUTHORS, credit_name, parse_byline, visible_credit


def test_by_agency_is_not_a_person() -> None:
    byline = parse_byline("By Yonhap")
    assert byline.authors == [] and byline.agency == "Yonhap"


def test_roles_emails_handles_and_conjunctions() -> None:
    byline = parse_byline("By JANE DOE and John Roe, Staff Writers | jane@x.com | @jdoe")
    assert byline.authors == ["JANE DOE", "John Roe"]


def test_several_languages() -> None:
    assert parse_byline("Par Sébastien Farcis").authors == ["Sébastien Farcis"]
    assert parse_byline("Martin Untersinger (avec Damien Leloup et Morgane Tual)").authors == [
        "Martin Untersinger",
        "Damien Leloup",
        "Morgane Tual",
    ]
    assert parse_byline("홍길동 기자").authors == ["홍길동"]


def test_organisations_are_not_people() -> None:
    assert parse_byline("BBC News").authors == []
    assert parse_byline("Staff").authors == []
    assert parse_byline("The Editorial Board").authors == []


def test_agency_with_people() -> None:
    byline = parse_byline("By Jane Doe and Associated Press")
    assert byline.authors == ["Jane Doe"] and byline.agency == "Associated Press"


def test_dates_after_the_name_are_cut() -> None:
    assert parse_byline("By GILLIAN MOHNEY March 11, 2015 3:46 PM").authors == ["GILLIAN MOHNEY"]


def test_five_hundred_names_are_capped() -> None:
    names = ", ".join(f"Person Number{chr(65 + i % 26)} Name{chr(97 + i % 26)}" for i in range(500))
    assert len(parse_byline(names).authors) <= MAX_AUTHORS


def test_agency_spellings() -> None:
    assert match_agency("AP") == "Associated Press"
    assert match_agency("ap") is None  # short abbreviations match case-sensitively
    assert match_agency("Agence France-Presse") == "Agence France-Presse"
    assert match_agency("AFP") == "Agence France-Presse"
    assert match_agency("Reuters Staff") == "Reuters"
    assert match_agency("The Associated Press") == "Associated Press"


def test_agency_credit_in_body() -> None:
    assert agency_credit("SEOUL, March 23 (Yonhap) -- South Korea said ...") == "Yonhap"
    assert agency_credit("Text of the story. (AP)") == "Associated Press"
    assert agency_credit("He met the AP reporters in (a) room.") is None


def test_credit_names_what_an_author_field_credits() -> None:
    assert credit_name("By BBC News |") == "BBC News"
    assert credit_name("BBC News မြန်မာ") == "BBC News မြန်မာ"  # the closing vowel sign stays
    assert credit_name("Resy Staff") == "Resy Staff"
    assert credit_name("Staff") is None  # a lone role word credits no one in particular
    assert credit_name("undefined") is None
    assert credit_name("jane@example.com") is None
    assert credit_name("https://www.facebook.com/site") is None
    assert credit_name("262588213843476") is None
    assert credit_name("5 Great On-page Seo For 2022 Ideas That You Can Practice") is None


def test_visible_credit_is_the_credit_a_byline_element_prints() -> None:
    assert visible_credit("Podium Staff") == "Podium Staff"
    assert visible_credit("EcoFlow - 2025/4/29") == "EcoFlow"  # cut where the date starts
    assert visible_credit("Read more about The Upwork Team") == "The Upwork Team"
    assert visible_credit("Simple07 »") == "Simple07"
    assert visible_credit("Sun Dec 17, 2023 11:23 am") is None  # a weekday, then the date
    assert visible_credit("Follow Author") is None
    assert visible_credit("Written By") is None
    assert visible_credit("Personal finance January 27, 2025") is None  # a phrase
