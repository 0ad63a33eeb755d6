"""Who is registered, when and where; and the participant rows, in the order they were registered.

People enrolled in training are registered up to two months before their first enrollment and
mostly live in its cohort's province; the others are spread over the three years. Codes and ids
follow the registration day, as they would in a registry filled over time.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from registry.reference.counters import reserve
from registry.synthetic import vocabulary as words
from registry.synthetic.bulk import bulk, move_sequences, next_id
from registry.synthetic.draws import Weighted, cover, day_between
from registry.synthetic.duplicates import SHARE as DUPLICATE_SHARE
from registry.synthetic.duplicates import near_duplicate
from registry.synthetic.people import FIELDS, participant_row
from registry.timeutil import add_years

ARCHIVED_SHARE = 0.005
LIVES_NEAR_COHORT = 0.9


@dataclass(slots=True)
class PersonPlan:
    """When and where a person is registered, and whose second record it is (an index), if any."""

    registered_on: date
    province: str
    original: int | None = None
    archived: bool = False


def plan_people(n, enrollments, rng, as_of):
    """A PersonPlan per person: near-duplicates and archived records among the people never enrolled."""
    first = {}
    for e in enrollments:
        if e.person not in first or e.requested_on < first[e.person].requested_on:
            first[e.person] = e
    provinces, start = Weighted(words.PROVINCES), add_years(as_of, -3) - timedelta(days=60)
    plans = []
    for person in range(n):
        e = first.get(person)
        if e is None:
            plans.append(PersonPlan(day_between(rng, start, as_of), provinces.draw(rng)))
        else:
            province = e.cohort.province if rng.random() < LIVES_NEAR_COHORT else provinces.draw(rng)
            plans.append(PersonPlan(e.requested_on - timedelta(days=rng.randint(0, 60)), province))
    free = [person for person in range(n) if person not in first]
    rng.shuffle(free)
    free = _add_twins(plans, free, round(DUPLICATE_SHARE * n), rng, as_of)
    for person in free[:round(ARCHIVED_SHARE * n)]:
        plans[person].archived = True
    where = cover([plan.province for plan in plans], list(words.PROVINCES), rng, allowed=free)
    for plan, province in zip(plans, where):
        plan.province = province
    return plans


def _add_twins(plans, free, count, rng, as_of):
    """Make count of the free people second records of others; return the people still free."""
    twins, originals = set(free[:count]), set()
    for twin in free[:count]:
        original = rng.randrange(len(plans))
        while original in twins:  # someone else, not themselves a second record
            original = rng.randrange(len(plans))
        originals.add(original)
        plan = plans[original]
        plans[twin] = PersonPlan(min(as_of, plan.registered_on + timedelta(days=rng.randint(14, 400))),
                                 plan.province, original)
    return [person for person in free[count:] if person not in originals]


def registration_order(plans):
    """The people's indexes by registration day (an original before its second record)."""
    return sorted(range(len(plans)), key=lambda i: (plans[i].registered_on, plans[i].original is not None, i))


def participant_rows(plans, order, people, officers, first_id, numbers, unreachable):
    """The participants' rows in registration order (a generator), each registered by their province's officer.

    :param unreachable: a set, filled with the people who did not consent to follow-up contact.
    """
    needed = {plan.original for plan in plans if plan.original is not None}
    originals = {}
    for rank, person in enumerate(order):
        plan = plans[person]
        if plan.original is None:
            values = people.record(plan.registered_on, plan.province)
        else:
            values = near_duplicate(originals[plan.original], people, plan.registered_on)
        if person in needed:
            originals[person] = values
        if plan.archived:
            values["status"] = "archived"
        if not values["consent_follow_up"]:
            unreachable.add(person)
        yield participant_row(values, first_id + rank, numbers[rank], officers[plan.province])


def insert_people(plans, people, officers, echo=None):
    """Insert every participant and reserve their codes.

    :return: (their ids by person index, the indexes of those who may not be contacted for follow-up).
    """
    order, unreachable = registration_order(plans), set()
    first_id, numbers = next_id(FIELDS[0].model), reserve("beneficiary", len(plans))
    bulk(FIELDS[0].model, FIELDS, participant_rows(plans, order, people, officers, first_id, numbers, unreachable),
         total=len(plans), echo=echo)
    ids = [0] * len(plans)
    for rank, person in enumerate(order):
        ids[person] = first_id + rank
    return ids, unreachable


def insert_values(records, user_id):
    """Insert participants from their editable values (dicts) with codes from the counter; return how many."""
    first_id, numbers = next_id(FIELDS[0].model), reserve("beneficiary", len(records))
    count = bulk(FIELDS[0].model, FIELDS, (participant_row(values, first_id + rank, numbers[rank], user_id)
                                           for rank, values in enumerate(records)))
    move_sequences([FIELDS[0].model])  # the app registers people after these (benchmarks, load tests)
    return count


def duplicate_pairs(plans, ids):
    """[(id of the second record, id of the original)] of the near-duplicates."""
    return [(ids[person], ids[plan.original]) for person, plan in enumerate(plans) if plan.original is not None]
