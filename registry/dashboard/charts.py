"""Chart geometry: labels and numbers in, the rectangles, lines and texts of a horizontal bar chart out.

Pure functions, with no Flask and no database: templates/dashboard/_chart.html draws the result as
inline SVG, and static/css/registry.css colours it by class (the CSP allows no style attribute).
Bars are horizontal, with each label on its own line or in a column on the left, so that long
names and Khmer text stay legible on a phone 360 pixels wide. Numbers arrive already formatted by
the caller's functions, in the user's language.
"""
import math
from dataclasses import dataclass, field

# The viewBox width, about the chart's width on a phone 360 px wide (294 px): there the SVG is drawn at
# almost its own size, and registry.css's text sizes are almost pixels. Wider screens scale it up.
WIDTH = 300
LABEL_LINE = 20  # a line of label text (12 px, with room for Khmer's stacked vowels)
BAR = 13
BAR_GAP = 3
ROW_GAP = 9
VALUE_SPACE = 52  # right of the plot: the number at the end of the longest bar
AXIS_SPACE = 20
CHAR_WIDTH = 7  # an average character at 12 to 13 px, to shorten labels that would not fit
SHARES = [0, 0.25, 0.5, 0.75, 1]  # the ticks of an axis of rates and shares
TICK_SPACE = 44  # the room a tick's number needs: closer ticks are labelled every other one


@dataclass(frozen=True)
class Rect:
    """A bar, or a segment of one; `key` names its colour class, `title` is read on hover."""

    x: float
    y: float
    width: float
    height: float
    key: str
    title: str


@dataclass(frozen=True)
class Text:
    """A text at a point; `kind` names its CSS class, `full` is the whole label when it was shortened."""

    x: float
    y: float
    text: str
    anchor: str = "start"
    kind: str = "label"
    full: str = ""


@dataclass(frozen=True)
class Line:
    """A line: an axis, a grid line or a row's marker (with its hover text)."""

    x1: float
    y1: float
    x2: float
    y2: float
    kind: str = "grid"
    title: str = ""


@dataclass(frozen=True)
class Row:
    """One category: its label, a value per series (None: nothing to draw), and an optional marker."""

    label: str
    values: tuple
    marker: float = None


@dataclass
class Chart:
    """Everything a template draws, in viewBox units."""

    width: int
    height: int
    rects: list = field(default_factory=list)
    texts: list = field(default_factory=list)
    lines: list = field(default_factory=list)


def nice_ticks(maximum, most=6, whole=True):
    """Round axis values from 0 to just past `maximum`, in 3 to `most` steps of 1, 2, 2.5 or 5 times a power of 10.

    Of the possible steps, the one whose last tick lies closest above the maximum wins (0, 2,000 ... 12,000
    for 10,856 rather than 0, 5,000 ... 15,000). With `whole`, steps are whole numbers (counts of people).
    """
    if maximum <= 0:
        return [0, 1]
    power = 10 ** math.floor(math.log10(maximum / most))
    steps = [f * p for p in (power, power * 10) for f in (1, 2, 2.5, 5)]
    if whole:
        steps = sorted({max(1, int(s)) for s in steps if s == int(s) or s < 1})
    fewest = min(3, math.ceil(maximum)) if whole else 3
    fitting = [s for s in steps if fewest <= math.ceil(maximum / s - 1e-9) <= most] or [steps[-1]]
    step = min(fitting, key=lambda s: (math.ceil(maximum / s - 1e-9) * s, -s))
    count = math.ceil(maximum / step - 1e-9)
    return [round(step * n, 10) for n in range(count + 1)]


def shorten(text, width):
    """The text cut to fit `width` units, with an ellipsis when cut."""
    most = max(4, int(width / CHAR_WIDTH))
    return text if len(text) <= most else text[:most - 1].rstrip() + "…"


class _Layout:
    """Rows placed top to bottom: a label above the bars (label_width 0) or in a column on their left."""

    def __init__(self, label_width, ticks, bars_per_row):
        self.chart = Chart(WIDTH, 0)
        self.label_width = label_width
        self.x0 = label_width + (6 if label_width else 0)
        self.x1 = WIDTH - VALUE_SPACE
        self.top = ticks[-1]
        self.ticks = ticks
        self.bars_per_row = bars_per_row
        self.y = 4

    def x(self, value):
        """The x of a value on the axis."""
        return round(self.x0 + (self.x1 - self.x0) * min(value, self.top) / self.top, 2)

    def row(self, label):
        """Place a row's label; return the y of its first bar."""
        group = self.bars_per_row * (BAR + BAR_GAP) - BAR_GAP
        if self.label_width:
            baseline = self.y + group / 2 + 4
            self.chart.texts.append(_label(0, baseline, label, self.label_width))
            first = self.y
        else:
            self.chart.texts.append(_label(0, self.y + 14, label, WIDTH))
            first = self.y + LABEL_LINE
        self.y = first + group + ROW_GAP
        return first

    def bar(self, y, start, end, key, title):
        """A bar (or segment) from one value to another."""
        self.chart.rects.append(Rect(self.x(start), y, round(max(self.x(end) - self.x(start), 0), 2), BAR, key,
                                     title))

    def value(self, y, at, text, kind="value"):
        """A number just right of a bar's end."""
        self.chart.texts.append(Text(round(self.x(at) + 4, 2), y + BAR - 2.5, text, kind=kind))

    def finish(self, tick_text):
        """Draw the grid and the axis below the rows; return the chart."""
        bottom = self.y - ROW_GAP + 4
        every = math.ceil(TICK_SPACE / ((self.x1 - self.x0) / (len(self.ticks) - 1)))
        for n, tick in enumerate(self.ticks):
            x = self.x(tick)
            self.chart.lines.append(Line(x, 0, x, bottom, "axis" if tick == 0 else "grid"))
            if n % every == 0:
                anchor = "start" if x < 12 else "middle"
                self.chart.texts.append(Text(x, bottom + 14, tick_text(tick), anchor=anchor, kind="tick"))
        self.chart.height = int(math.ceil(bottom + AXIS_SPACE))
        return self.chart


def _label(x, y, text, width):
    short = shorten(text, width)
    return Text(x, y, short, full=text if short != text else "")


def grouped_bars(rows, series, number, label_width=0):
    """Counts: one bar per series in each row, its number at its end.

    :param rows: [Row] with one value per series
    :param series: [(key, label)]
    :param number: formats a count for people to read (the user's locale)
    """
    biggest = max((v or 0 for row in rows for v in row.values), default=0)
    layout = _Layout(label_width, nice_ticks(biggest), len(series))
    for row in rows:
        y = layout.row(row.label)
        for (key, name), value in zip(series, row.values):
            if value is not None:
                layout.bar(y, 0, value, key, f"{row.label} · {name}: {number(value)}")
                layout.value(y, value, number(value))
            y += BAR + BAR_GAP
    return layout.finish(number)


def rate_bars(rows, series, percent, missing, marker_name, label_width=0):
    """Rates from 0 to 1 on a track: the rate's bar from the left, a gap share (values[1]) from the right,
    a marker line at the row's `marker`, and the rate's percentage right of the track.

    :param series: [(key, label)] of the rate and of the gap
    :param missing: the text shown for a row whose rate is None (nothing to compute yet)
    :param marker_name: what the marker means, for its hover text
    """
    (rate_key, rate_name), (gap_key, gap_name) = series
    layout = _Layout(label_width, SHARES, 1)
    for row in rows:
        y = layout.row(row.label)
        rate, gap = row.values
        if rate is None:
            layout.value(y, 0, missing, kind="missing")
            continue
        layout.bar(y, 0, 1, "track", "")
        layout.bar(y, 0, rate, rate_key, f"{row.label} · {rate_name}: {percent(rate)}")
        if gap:
            layout.bar(y, 1 - gap, 1, gap_key, f"{row.label} · {gap_name}: {percent(gap)}")
        layout.value(y, 1, percent(rate))
        if row.marker is not None:
            x = layout.x(row.marker)
            layout.chart.lines.append(Line(x, y - 3, x, y + BAR + 3, "marker", f"{marker_name}: {percent(row.marker)}"))
    return layout.finish(percent)


def share_bars(rows, series, number, percent, label_width=0):
    """Shares of a whole: one bar per row split into its series, from 0 to 100%, its total at the end."""
    layout = _Layout(label_width, SHARES, 1)
    for row in rows:
        y = layout.row(row.label)
        total = sum(v or 0 for v in row.values)
        start = 0
        for (key, name), value in zip(series, row.values):
            if value and total:
                share = value / total
                layout.bar(y, start, start + share, key, f"{row.label} · {name}: {number(value)} ({percent(share)})")
                start += share
        layout.value(y, 1, number(total))
    return layout.finish(percent)
