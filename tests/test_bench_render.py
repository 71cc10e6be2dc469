"""`make bench`'s table shows, next to each call ratio, the ratio of the medians, and says why they differ."""

from __future__ import annotations

from typing import Any

from tools.bench import (
    bench_calls,
    bench_location,
    bench_parse,
    ratio_of_medians,
    render,
    render_location,
    stock_client_package,
    summarise,
)


def test_each_call_ratio_is_printed_with_the_ratio_of_the_medians() -> None:
    # Three rounds whose speed drifts: per round the two are equal at the median, their medians are not.
    seconds = {"generated": [1.0, 2.0, 3.0], "bare httpx": [1.0, 2.1, 2.9]}
    result = summarise(seconds, "bare httpx")
    assert result["ratios"]["generated"] == 1.0  # the median of 1.0, 0.952 and 1.034
    assert round(ratio_of_medians(result, "generated"), 4) == 0.9524  # 2.0 / 2.1
    skewed: dict[str, Any] = {
        "seconds": {"generated": 2.027, "bare httpx": 1.535},
        "ratios": {"generated": 0.99},
    }
    calls = {"requests": 300, "rounds": 9, "sync": skewed, "async_concurrency_32": skewed}
    parse = [{"events": 10, "bytes": 100, "rounds": 9, "seconds": {"generated": 0.001}, "ratios": {},
              "peak_bytes": {"generated": 2**20}}]  # fmt: skip
    lines = render(calls, parse).splitlines()
    assert lines[3].startswith("asyncio() x32")
    assert lines[3].endswith("   generated 0.99x (1.32x)")
    assert lines[4] == (
        "ms: each contender's median round; a ratio is the median of per-round ratios (contenders back to back), "
        "which cancels drift between rounds that the ms keep (in parentheses: the ratio of the medians)."
    )


def test_the_call_and_parse_benchmarks_run_against_the_stock_template_client() -> None:
    """A small run of what `make bench` measures first, so that a spec or template change cannot leave it broken
    (the stock templates make `version` required once the spec's default moved onto the ApiVersion schema)."""
    with stock_client_package() as stock:
        calls = bench_calls(stock, requests=3, rounds=1)
        parse = bench_parse(stock, rounds=1)
    assert set(calls["sync"]["ratios"]) == {"generated", "stock template"}
    assert all(ratio > 0 for ratio in calls["async_concurrency_32"]["ratios"].values())
    assert [row["events"] for row in parse] == [10, 1_000, 10_000]


def test_the_whole_location_benchmark_finds_the_same_appointments_both_ways() -> None:
    """A small run of `make bench`'s whole-location row: both ways list the same appointments per contact, and
    the calendar-events way needs 1 + calendars x 12 requests for the year."""
    result = bench_location(contacts=40, calendars=3)
    assert result["same_appointments"] is True
    assert result["appointments_in_year"] == 80
    assert result["ways"]["per contact"]["requests"] == 40
    assert result["ways"]["calendar events"]["requests"] == 1 + 3 * 12
    assert [line.split()[0] for line in render_location(result).splitlines()[2:4]] == ["per", "calendar"]
