"""Which price of the price book a buyer pays, and what it becomes once it covers a whole
installed chip in the buyer's region.

Rules, in order (each adjustment is listed in the answer):

1. Purchase prices when owning, rental rates when renting (of the term asked for, on-demand by
   default, where the book has one; else any term); among them those of the buyer's region,
   else any region; the most recent.
2. A purchase that covers only the chip adds the server-and-network share; one that covers the
   server adds the network share (``specs/assumptions.yaml``).
3. A purchase from another region adds the buyer region's surcharges (the chip's availability
   records, e.g. the 25% fee on H200 sales to China), then its import tariff, then VAT. A price
   of the buyer's own market is used as it is: it already includes them.
4. A price older than ``PRICE_MAX_AGE_DAYS`` is used with a warning, never hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from calc.cost import CostSettings
from calc.serving import ServingError
from specs.catalog import Catalog
from specs.schema import PRICE_MAX_AGE_DAYS, Chip, Price
from specs.units import parse


@dataclass(frozen=True)
class ChipPrice:
    """The price used for one chip, in US dollars per chip (purchase) or per chip-hour (rental),
    after the adjustments listed."""

    usd: float
    low_usd: float
    high_usd: float
    kind: str
    description: str
    """The price as published: amount, what it covers, seller, region, date, confidence."""
    url: str
    published: date | None
    stale: bool
    confidence: str = "datasheet"
    """The source's confidence (a user's own price counts as exact)."""
    adjustments: list[str] = field(default_factory=list)


def _published(price: Price) -> date:
    return price.source.as_of


def _candidates(prices: list[Price], settings: CostSettings) -> list[Price]:
    kind = "purchase" if settings.own else "rental"
    found = [p for p in prices if p.kind == kind]
    if not settings.own:
        found = [p for p in found if p.term == (settings.term or "on-demand")] or found
    local = [p for p in found if (p.region or "").lower() == settings.region.lower()]
    return sorted(local or found, key=_published)


def surcharge(chip: Chip, region: str) -> float:
    """The largest surcharge the chip's availability records put on sales into ``region``."""
    return max((note.surcharge or 0.0 for note in chip.availability
                if note.kind == "surcharge" and (note.region or "").lower() == region.lower()),
               default=0.0)


def pick_price(catalog: Catalog, chip: Chip, settings: CostSettings, override: str | None = None,
               today: date | None = None) -> ChipPrice | None:
    """The price ``settings`` asks for (own or rent, region, term), adjusted; ``override`` (a
    user's "2.5 USD/hour" or "150000 CNY") replaces the book and is taken as all-in. None when
    the book has no such price."""
    today = today or date.today()
    if override is not None:
        return _user_price(override, settings)
    candidates = _candidates(catalog.prices_for(chip.id), settings)
    if not candidates:
        return None
    price = candidates[-1]
    usd = settings.usd(price.amount)
    low = settings.usd(price.low) if price.low is not None else usd
    high = settings.usd(price.high) if price.high is not None else usd
    factor, adjustments = 1.0, []
    if price.kind == "purchase":
        if price.covers == "chip":
            share = settings.server_network_share.value
            factor *= 1 + share
            adjustments.append(f"+{share:.0%} server and network (price covers the chip only)")
        elif price.covers == "server" and settings.network_share is not None:
            share = settings.network_share.value
            factor *= 1 + share
            adjustments.append(f"+{share:.0%} network (price covers chip and server)")
        if (price.region or "").lower() != settings.region.lower():
            for name, rate in ((f"{settings.region} surcharge", surcharge(chip, settings.region)),
                               ("import tariff", settings.import_tariff.value),
                               ("VAT", settings.vat.value)):
                if rate:
                    factor *= 1 + rate
                    adjustments.append(f"+{rate:.0%} {name} ({price.region or 'unstated'} "
                                       f"price bought into {settings.region})")
    elif price.term != (settings.term or "on-demand"):
        adjustments.append(f"no {settings.term or 'on-demand'} rate in the book: "
                           f"{price.term} used")
    if price.kind == "rental" and (price.region or "").lower() != settings.region.lower():
        adjustments.append(f"rental listed for {price.region or 'an unstated region'}, not "
                           f"{settings.region}")
    stale = price.is_stale(today)
    if stale:
        adjustments.append(f"price is {price.age_days(today) // 30} months old (over "
                           f"{PRICE_MAX_AGE_DAYS // 30}): check a current quote")
    what = {"chip": "chip only", "server": "chip with its server share",
            "all-in": "chip, server and network"}[price.covers]
    term = f" {price.term}" if price.term else ""
    description = (f"{price.amount:~P}{term}, {what}, {price.provider or 'seller unstated'}, "
                   f"{price.region or 'region unstated'}, {_published(price)}, "
                   f"{price.source.confidence}")
    return ChipPrice(usd=usd * factor, low_usd=low * factor, high_usd=high * factor,
                     kind=price.kind, description=description, url=price.source.url,
                     published=_published(price), stale=stale,
                     confidence=price.source.confidence, adjustments=adjustments)


def _user_price(text: str, settings: CostSettings) -> ChipPrice:
    try:
        amount = parse(text)
        usd = settings.usd(amount)
    except (ValueError, TypeError) as err:
        raise ServingError(f"price '{text}': {err}; write e.g. '25000 USD' or "
                           f"'2.5 USD/hour'") from None
    per_hour = "[time]" in str(amount.dimensionality)
    if per_hour == settings.own:
        wanted = "a purchase price such as '25000 USD'" if settings.own \
            else "a rental rate such as '2.5 USD/hour'"
        raise ServingError(f"price '{text}': {'owning' if settings.own else 'renting'} needs "
                           f"{wanted}")
    if not usd > 0:
        raise ServingError(f"price '{text}' must be positive")
    return ChipPrice(usd=usd, low_usd=usd, high_usd=usd, kind="rental" if per_hour
                     else "purchase", description=f"{text} (your price, taken as all-in)",
                     url="", published=None, stale=False)


def parse_price_list(text: str) -> dict[str, str]:
    """Your own prices typed as ``CHIP=AMOUNT`` pairs separated by ``;``, ``,`` or new lines,
    as a mapping for :func:`calc.sizing.size`'s ``prices``.

    >>> parse_price_list("C600=150000 CNY; H100 = 2.5 USD/hour")
    {'C600': '150000 CNY', 'H100': '2.5 USD/hour'}
    """
    prices = {}
    for pair in text.replace(";", "\n").replace(",", "\n").splitlines():
        if not pair.strip():
            continue
        chip, sep, amount = pair.partition("=")
        if not sep or not chip.strip() or not amount.strip():
            raise ServingError(f"a price is CHIP=AMOUNT, e.g. 'metax-c600=150000 CNY' or "
                               f"'H100=2.5 USD/hour', got {pair.strip()!r}")
        prices[chip.strip()] = amount.strip()
    return prices
