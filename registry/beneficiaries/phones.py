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


# The fewest digits that search the phone numbers by part: fewer would find too many people to be of use.
PHONE_PART_MIN = 6
_PHONE_TYPED = frozenset("0123456789 +-().")


def phone_key(e164):
    """The digits people dial for a stored number: 012345678 for +85512345678, 66812345678 abroad.

    Stored beside the phone (beneficiary.phone_key) so that any run of its digits can be searched.
    """
    digits = "".join(ch for ch in e164 or "" if ch.isdigit())
    return "0" + digits[3:] if digits.startswith("855") else digits


def phone_part(text):
    """The digits of a search that looks like (part of) a phone number, as phone_key writes them; else "".

    Text of digits, spaces, + - ( ) . with PHONE_PART_MIN digits or more: "345678", "012 345 678",
    "+855 12 345", "00855 12 345 678" (Cambodia's code becomes the 0 dialled at home).
    """
    text = (text or "").strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) < PHONE_PART_MIN or not set(text) <= _PHONE_TYPED:
        return ""
    international = text.startswith(("+", "00"))
    if text.startswith("00"):
        digits = digits[2:]
    if digits.startswith("855") and (international or len(digits) >= 11):
        return "0" + digits[3:]
    return digits
