"""Chart geometry: plain functions, no app and no database."""
import pytest

from registry.dashboard import charts
from registry.dashboard.charts import Row, grouped_bars, nice_ticks, rate_bars, share_bars, shorten


def number(value):
    return f"{value:,}"


def percent(value):
    return f"{round(value * 100)}%"


@pytest.mark.parametrize("maximum, ticks", [
    (10856, [0, 2000, 4000, 6000, 8000, 10000, 12000]),
    (3366, [0, 1000, 2000, 3000, 4000]),
    (100, [0, 25, 50, 75, 100]),
    (13, [0, 5, 10, 15]),
    (2, [0, 1, 2]),
    (1, [0, 1]),
    (0, [0, 1]),
])
def test_axis_ticks_are_round_and_reach_past_the_biggest_value(maximum, ticks):
    assert nice_ticks(maximum) == ticks


def test_long_labels_are_shortened_with_an_ellipsis():
    assert shorten("Kep", 100) == "Kep"
    short = shorten("Agriculture and animal raising Banteay Meanchey 2026-9", 120)
    assert short.endswith("…") and len(short) <= 120 / charts.CHAR_WIDTH


def test_grouped_bars_are_proportional_and_stay_inside_the_chart():
    rows = [Row("Dec 2025", (3000, 1500)), Row("Jan 2026", (0, 4000))]
    chart = grouped_bars(rows, [("enrolled", "Enrolled"), ("completed", "Completed")], number, label_width=90)
    widths = [r.width for r in chart.rects]
    assert len(widths) == 4 and widths[0] == pytest.approx(2 * widths[1]) and widths[2] == 0
    assert all(0 <= r.x and r.x + r.width <= chart.width for r in chart.rects)
    assert all(r.y + r.height <= chart.height for r in chart.rects)
    assert [r.key for r in chart.rects] == ["enrolled", "completed"] * 2
    texts = [t.text for t in chart.texts]
    assert "Dec 2025" in texts and "3,000" in texts and "4,000" in texts  # labels, values and the last tick
    assert chart.rects[0].title == "Dec 2025 · Enrolled: 3,000"


def test_more_rows_make_a_taller_chart_of_the_same_width():
    one = grouped_bars([Row("A", (1,))], [("people", "People")], number)
    three = grouped_bars([Row(x, (1,)) for x in "ABC"], [("people", "People")], number)
    assert one.width == three.width and three.height > one.height


def test_a_label_too_long_for_its_column_keeps_its_whole_text_for_hover():
    chart = grouped_bars([Row("A very long province name indeed", (5,))], [("people", "People")], number,
                         label_width=60)
    label = chart.texts[0]
    assert label.text.endswith("…") and label.full == "A very long province name indeed"


def test_rate_bars_show_the_rate_the_gaps_and_the_rule():
    rows = [Row("Sewing", (0.5, 0.25), marker=0.8), Row("New cohort", (None, None), marker=0.8)]
    chart = rate_bars(rows, [("rate", "Attendance"), ("not_recorded", "Not recorded")], percent, "nothing yet",
                      "Rule")
    track, rate, gap = chart.rects
    assert track.key == "track" and rate.width == pytest.approx(track.width / 2)
    assert gap.x + gap.width == pytest.approx(track.x + track.width) and gap.width == pytest.approx(track.width / 4)
    marker = [line for line in chart.lines if line.kind == "marker"]
    assert len(marker) == 1 and marker[0].x1 == pytest.approx(track.x + 0.8 * track.width)
    assert marker[0].title == "Rule: 80%"
    assert "50%" in [t.text for t in chart.texts] and "nothing yet" in [t.text for t in chart.texts]


def test_share_bars_fill_the_whole_width_in_series_order():
    series = [("wage_employed", "Wage"), ("unemployed", "Unemployed"), ("not_reached", "Not reached")]
    chart = share_bars([Row("Sewing", (2, 0, 2))], series, number, percent)
    first, second = chart.rects  # nothing is drawn for a zero
    assert (first.key, second.key) == ("wage_employed", "not_reached")
    assert first.width == pytest.approx(second.width) and second.x == pytest.approx(first.x + first.width)
    assert first.title == "Sewing · Wage: 2 (50%)"
    assert "4" in [t.text for t in chart.texts]  # the row's total
