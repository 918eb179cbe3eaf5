"""Money as Decimal with an explicit rounding mode."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum


class Rounding(StrEnum):
    """Rounding modes a contract may prescribe."""

    HALF_UP = "half-up"
    HALF_EVEN = "half-even"

    @property
    def decimal_mode(self) -> str:
        return ROUND_HALF_UP if self is Rounding.HALF_UP else ROUND_HALF_EVEN


# ISO 4217 minor units of the currencies the register offers.
CURRENCY_DIGITS: dict[str, int] = {
    "GBP": 2, "EUR": 2, "USD": 2, "CHF": 2, "SEK": 2, "NOK": 2, "DKK": 2, "PLN": 2,
    "CAD": 2, "AUD": 2, "INR": 2, "JPY": 0,
}


def parse_decimal(text: object) -> Decimal:
    """Read a Decimal from user text ("48,000.00", "48000") or a number; raise ValueError."""
    if isinstance(text, Decimal):
        return text
    if isinstance(text, float):
        raise ValueError("money must not be given as a float")
    raw = str(text).strip().replace(",", "").replace("_", "").replace(" ", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"'{text}' is not a number") from None
    if not value.is_finite():
        raise ValueError(f"'{text}' is not a finite number")
    return value


def quantize_money(amount: Decimal, *, currency: str, rounding: Rounding) -> Decimal:
    """Round an amount to the currency's minor unit with the contract's rounding mode."""
    digits = CURRENCY_DIGITS.get(currency, 2)
    return amount.quantize(Decimal(1).scaleb(-digits), rounding=rounding.decimal_mode)


def format_money(amount: Decimal, currency: str) -> str:
    """'GBP 48,000.00' — grouping and the currency's own number of decimals."""
    digits = CURRENCY_DIGITS.get(currency, 2)
    return f"{currency} {amount:,.{digits}f}"
