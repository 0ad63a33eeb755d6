"""Phone numbers: parsed with libphonenumber, Cambodia by default, stored as E.164."""
import phonenumbers


def normalize_phone(text):
    """Return a phone number in E.164 form (+85512345678), '' for blank, or raise ValueError.

    Accepts Cambodian numbers as people write them (012 345 678, 012-345-678,
    +855 12 345 678, 855 12 345 678, 00855 ...) and international numbers with their
    country code (+66 81 234 5678).
    """
    text = (text or "").strip()
    if not text:
        return ""
    digits = "".join(ch for ch in text if ch.isdigit())
    if text.startswith("00"):
        text = "+" + text[2:]
    elif digits.startswith("855") and not text.startswith(("+", "0")) and len(digits) >= 11:
        text = "+" + digits
    try:
        number = phonenumbers.parse(text, "KH")
    except phonenumbers.NumberParseException:
        raise ValueError(text) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164):
    """A stored number as people read it: 012 345 678 for Cambodia, international otherwise."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164)
    style = (phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 855
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, style)
