"""Money: amounts are kept as entered (KHR or USD) and converted to USD at the rate of their month."""
from decimal import Decimal

from registry.audit.services import record_event
from registry.db import database
from registry.outcomes.models import ExchangeRate
from registry.reference.models import Setting

DEFAULT_KEY = "default_khr_per_usd"


def default_rate():
    """The riels per dollar used for a month with no rate of its own."""
    return Decimal(Setting.get_value(DEFAULT_KEY, "4100"))


def rate_for(day):
    """Riels per dollar for the month of a day."""
    row = ExchangeRate.get_or_none(ExchangeRate.month == day.replace(day=1))
    return row.khr_per_usd if row else default_rate()


def to_usd(amount, currency, day):
    """An amount in USD, converted at the rate of the day's month; None stays None."""
    if amount is None:
        return None
    amount = Decimal(amount)
    return amount if currency == "USD" else (amount / rate_for(day)).quantize(Decimal("0.01"))


def set_rate(month, khr_per_usd, user):
    """Set (or change) the rate of a month; audited."""
    month = month.replace(day=1)
    with database.atomic():
        before = ExchangeRate.get_or_none(ExchangeRate.month == month)
        (ExchangeRate.insert(month=month, khr_per_usd=khr_per_usd, set_by=user)
         .on_conflict(conflict_target=[ExchangeRate.month], preserve=[ExchangeRate.khr_per_usd, ExchangeRate.set_by])
         .execute())
        record_event("exchange_rate.set", user=user, detail={
            "month": month, "khr_per_usd": [str(before.khr_per_usd) if before else None, str(khr_per_usd)]})


def set_default_rate(khr_per_usd, user):
    """Set the rate used for months that have none; audited."""
    with database.atomic():
        old = Setting.get_value(DEFAULT_KEY, None)
        Setting.insert(key=DEFAULT_KEY, value=str(khr_per_usd)).on_conflict(
            conflict_target=[Setting.key], preserve=[Setting.value]).execute()
        record_event("exchange_rate.default", user=user, detail={"khr_per_usd": [old, str(khr_per_usd)]})
