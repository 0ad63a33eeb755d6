"""Random draws shared by the generators: weighted choices, and making sure every value occurs."""
from collections import Counter
from datetime import timedelta
from itertools import accumulate


class Weighted:
    """A weighted choice prepared once (cumulative weights), for draws repeated many times."""

    def __init__(self, weights):
        self.keys = list(weights)
        self.cumulative = list(accumulate(weights.values()))

    def draw(self, rng):
        """One key, drawn in proportion to its weight."""
        return rng.choices(self.keys, cum_weights=self.cumulative)[0]


def weighted(rng, weights):
    """A key of weights (a dict), drawn in proportion to its value."""
    return rng.choices(list(weights), list(weights.values()))[0]


def day_between(rng, first, last):
    """A random day from first to last, both included."""
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def cover(values, wanted, rng, allowed=None):
    """Overwrite some values in place so that each wanted value occurs at least once.

    Only positions whose value occurs more than once are overwritten (and, when given, only
    positions in allowed), so no value that was present disappears.
    """
    counts = Counter(values)
    positions = list(allowed if allowed is not None else range(len(values)))
    rng.shuffle(positions)
    for value in (v for v in wanted if not counts[v]):
        while positions:
            at = positions.pop()
            if counts[values[at]] > 1:
                counts[values[at]] -= 1
                values[at] = value
                counts[value] += 1
                break
    return values
