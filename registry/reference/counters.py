"""Named counters for codes that are never reused (e.g. BR-000123)."""
from peewee import CharField, IntegerField

from registry.db import BaseModel


class Counter(BaseModel):
    """The last number handed out for one kind of code."""

    name = CharField(max_length=32, primary_key=True)
    value = IntegerField(default=0)


def reserve(name, count=1):
    """Reserve `count` consecutive numbers of a counter and return them as a range.

    One UPDATE ... RETURNING: two workers can never get the same number, and a
    rolled-back registration at worst skips a number, never reuses one.
    """
    query = (Counter.update(value=Counter.value + count).where(Counter.name == name)
             .returning(Counter.value))
    last = next(iter(query.execute())).value
    return range(last - count + 1, last + 1)
