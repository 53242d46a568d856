"""Unit tests of the date parser: formats, languages, zones, rejections."""

from __future__ import annotations

import datetime as dt

import pytest

from copydesk.metadata.dates import Parsed, date_from_url, parse_date, parse_relative

REF = dt.date(2020, 3, 23)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Mar 23, 2020 - 11:58", "2020-03-23T11:58"),
        ("2018-04-05T06:00:00Z", "2018-04-05T06:00:00+00:00"),
        ("2019-11-01T10:52:50+0100", "2019-11-01T10:52:50+01:00"),
        ("2017-11-03 03:01:00.000000", "2017-11-03T03:01:00"),
        ("2015-07-10T09:53:00-04:00", "2015-07-10T09:53:00-04:00"),
        ("23. März 2020 um 14:30 Uhr", "2020-03-23T14:30"),
        ("23 mars 2020", "2020-03-23"),
        ("23 de marzo de 2020", "2020-03-23"),
        ("2020년 3월 23일 오후 3:15", "2020-03-23T15:15"),
        ("2020年3月23日 11時58分", "2020-03-23T11:58"),
        ("2020.03.23 11:58", "2020-03-23T11:58"),
        ("April 28, 2019 at 6:01 am", "2019-04-28T06:01"),
        ("March 11, 2015 3:46 PM", "2015-03-11T15:46"),
        ("12/25/2019", "2019-12-25"),
        ("25/12/2019", "2019-12-25"),
        ("20190820", "2019-08-20"),
        ("December 19. 2019", "2019-12-19"),
        ("Jul. 11. 2019", "2019-07-11"),
        ("25.Jun.2019", "2019-06-25"),
        ("04-ago-2019", "2019-08-04"),
        ("Updated on 19-Dec-2019", "2019-12-19"),
        ("21.dez.2018 às 12h55", "2018-12-21T12:55"),
        ("Mar 09 , 2019", "2019-03-09"),
        ("14.11.19", "2019-11-14"),  # a two-digit year in a short dateline
        ("9/11/13 10:00AM", "2013-11-09T10:00"),
    ],
)
def test_formats(text: str, iso: str) -> None:
    found = parse_date(text, REF)
    assert isinstance(found, Parsed), found
    assert found.iso == iso


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("0000-00-00", "impossible"),
        ("31/02/2020", "impossible"),
        ("20201-01-01", "no date"),
        ("2030-01-01", "future"),
        ("1970-01-01", "implausible"),
        ("", "empty"),
    ],
)
def test_rejections_say_why(text: str, why: str) -> None:
    found = parse_date(text, REF)
    assert isinstance(found, str) and why in found


def test_epoch_only_when_field_is_a_timestamp() -> None:
    assert isinstance(parse_date("1584928680000", REF), str)
    found = parse_date("1584928680000", REF, timestamp_ok=True)
    assert isinstance(found, Parsed) and found.iso == "2020-03-23T01:58:00+00:00"


def test_no_zone_is_invented() -> None:
    found = parse_date("Published March 23, 2020 11:58", REF)
    assert isinstance(found, Parsed) and found.iso == "2020-03-23T11:58"


def test_relative_dates_need_the_crawl_date() -> None:
    assert isinstance(parse_relative("3 hours ago", None), str)
    two_days = parse_relative("2 days ago", REF)
    assert isinstance(two_days, Parsed) and two_days.iso == "2020-03-21"
    german = parse_relative("vor 1 Woche", REF)
    assert isinstance(german, Parsed) and german.iso == "2020-03-16"


def test_url_dates() -> None:
    found = date_from_url("https://www.cnn.com/2023/11/06/politics/x/index.html", None)
    assert isinstance(found, Parsed) and found.iso == "2023-11-06"
    assert isinstance(date_from_url("https://x.com/article/12345", None), str)


def test_huge_input_is_cut() -> None:
    assert isinstance(parse_date("9" * 1_000_000, REF), str)


def test_two_digit_years_only_in_short_texts() -> None:
    assert isinstance(parse_date("9/11/13 10:00AM", REF, month_first=True), Parsed)
    assert parse_date("9/11/13 10:00AM", REF, month_first=True).iso == "2013-09-11T10:00"
    for text in ("version 1.2.3", "24/7/365", "in 3-4-5 we trust",
                 "a long sentence that mentions 9/11/13 somewhere in the middle of it all"):
        assert not isinstance(parse_date(text, REF), Parsed), text
