"""The one date grammar (fangzhi.text.dates) that chronicles and documents share."""

from __future__ import annotations

import pytest

from fangzhi.text.dates import DateContext, PartialDate, find_dates, match_date_token, read_number


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("12", 12),
        ("１２", 12),
        ("十二", 12),
        ("廿一", 21),
        ("卅", 30),
        ("一九八六", 1986),
        ("二〇二二", 2022),
        ("二○一二", 2012),
    ],
)
def test_numbers(printed: str, value: int) -> None:
    assert read_number(printed) == value


def _resolve(printed: str, year: int | None = 1986, month: int | None = None) -> tuple[str | None, str | None, str]:
    context = DateContext(year)
    if month:
        context.new_month(month)
    match = match_date_token(printed)
    assert match is not None, printed
    resolved = context.resolve(match)
    return resolved.iso(), resolved.iso_end(), resolved.precision


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("1986年1月9日", ("1986-01-09", None, "day")),
        ("一九八六年五月十六日", ("1986-05-16", None, "day")),
        ("１９８６年５月１６日", ("1986-05-16", None, "day")),
        ("1 月 15~17 日", ("1986-01-15", "1986-01-17", "day")),
        ("16～22日", ("1986-03-16", "1986-03-22", "day")),
        ("19—20日", ("1986-03-19", "1986-03-20", "day")),
        ("13日—14日", ("1986-03-13", "1986-03-14", "day")),
        ("4月10-15日", ("1986-04-10", "1986-04-15", "day")),
        ("10月29日至11月1日", ("1986-10-29", "1986-11-01", "day")),
        ("31—4月2日", ("1986-03-31", "1986-04-02", "day")),
        ("十二月", ("1986-12", None, "month")),
        ("5月", ("1986-05", None, "month")),
        ("下旬", ("1986-03", None, "month")),
        ("是月", ("1986-03", None, "month")),
        ("是年", ("1986", None, "year")),
        ("1987年", ("1987", None, "year")),
        ("1—3月，", ("1986-01", "1986-03", "month")),
    ],
)
def test_shorthand_resolved_with_its_precision(printed: str, expected: tuple[str | None, str | None, str]) -> None:
    assert _resolve(printed, month=3) == expected


def test_never_a_guessed_year_or_day() -> None:
    context = DateContext(None)
    match = match_date_token("7日")
    assert match is not None
    context.new_month(1)
    resolved = context.resolve(match)
    assert resolved.date == PartialDate(None, 1, 7)
    assert (resolved.iso(), resolved.warnings) == (None, (("date_no_year", "no year known for date '7日'"),))


def test_a_printed_year_becomes_current_and_months_do_not_wrap() -> None:
    context = DateContext(None)
    for printed in ("1986年11月9日", "12月3日", "2月3日"):
        match = match_date_token(printed)
        assert match is not None
        resolved = context.resolve(match)
        context.remember(resolved, match)
    assert resolved.iso() == "1986-02-03"
    assert resolved.warnings == (("month_order", "'2月3日' comes after month 12 with no new year; check the year"),)


def test_follow_ups_and_background_dates_are_not_leading_dates() -> None:
    assert match_date_token("翌年9月1日建成通车").group("follow_up")  # type: ignore[union-attr]
    assert match_date_token("从1981年11月起") is None
    assert match_date_token("1986年春节期间，全市") is None  # a year followed by text, not a year date


def test_whole_dates_inside_text() -> None:
    found = find_dates("（2023年5月31日示例市第十五届人民代表大会常务委员会第十二次会议通过）发布时间:2022-03-29 17:52")
    assert [(item.iso, item.as_printed) for item in found] == [
        ("2023-05-31", "2023年5月31日"),
        ("2022-03-29", "2022-03-29"),
    ]
    (lost,) = find_dates("202184日宿州市第五届人民代表大会")
    assert (lost.iso, lost.warnings[0][0]) == ("2021-08-04", "date_run_together")
    assert find_dates("2021124日") == []  # 2021-1-24 or 2021-12-4: not guessed
