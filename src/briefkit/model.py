"""The campaign format as typed models: the single source of truth for the format
that docs/format.md explains (campaigns, creators, workspace settings).

The JSON Schema (`briefkit schema`) and the reference docs (docs/reference.md) are
generated from these classes, so every field carries a description. Models are
strict: unknown keys are rejected and values are not coerced between types
(`"400"` is not a fee). Rules that span several fields live in `validate.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from dataclasses import dataclass
from collections.abc import Iterator
from functools import cache
from enum import Enum
from types import UnionType
from typing import Annotated, Any, Literal, NamedTuple, Union, get_args, get_origin
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    EmailStr,
    Field,
    PlainSerializer,
    PlainValidator,
    Tag,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

# --- value types ------------------------------------------------------------

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
HASHTAG_PATTERN = r"^#[^\s#]+$"
MENTION_PATTERN = r"^@[^\s@]+$"
HANDLE_PATTERN = r"^@?[^\s@]+$"

Platform = Literal["instagram", "tiktok", "youtube", "facebook", "pinterest", "x", "linkedin",
                   "twitch", "snapchat", "threads", "blog", "podcast"]
Metric = Literal["awareness", "reach", "impressions", "engagement", "clicks", "signups",
                 "sales", "conversions", "ugc"]
Tier = Literal["nano", "micro", "macro", "mega"]
OfferType = Literal["paid", "gifted", "affiliate", "hybrid"]

# Bounds that keep everything that validates renderable (docs/format.md, "Limits"): a
# date's weekday, a deadline one day later, a number the locale can write, a file name
# the file system takes.
MAX_AMOUNT = Decimal(10) ** 12  # a trillion, in any currency
MAX_COUNT = 1000  # pieces of one deliverable, review rounds' ceiling is lower
MAX_DAYS = 36_500  # a hundred years of usage rights or exclusivity
MAX_FOLLOWERS = 10 ** 10  # more than there are people
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2999, 12, 31)
MAX_SLUG = 64  # ids and folder names
MAX_HANDLE = 100
MAX_PATH = 1024  # a workspace path; each of its parts at most 255 bytes, as file systems allow

PlainText = Annotated[str, Field(min_length=1)]  # one text for every reader: names, codes, patterns
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=MAX_SLUG)]
Color = Annotated[str, Field(pattern=COLOR_PATTERN)]
Hashtag = Annotated[str, Field(pattern=HASHTAG_PATTERN)]
Mention = Annotated[str, Field(pattern=MENTION_PATTERN)]
def _check_handle(value: str) -> str:
    """A handle, not the address of a profile: `instagram.com/maya.makes` says to write `maya.makes`."""
    if "/" in value or value.startswith("www."):
        path = re.sub(r"^[a-z]+://", "", value).split("?")[0].split("#")[0]
        segments = [s for s in path.split("/")[1:] if s]
        handle = segments[-1].removeprefix("@") if segments else ""
        raise _fail("handle", f"`{value}` is the address of a profile, not a handle",
                    f"write only the handle: {handle}" if handle else "write only the handle, e.g. maya.makes")
    return value


Handle = Annotated[str, AfterValidator(_check_handle), Field(pattern=HANDLE_PATTERN, max_length=MAX_HANDLE)]


def _check_path(value: str) -> str:
    """A path a file system can open: no control characters, no part over 255 bytes."""
    if any(unicodedata.category(c) == "Cc" for c in value):
        raise _fail("path", "a file path cannot hold control characters", "write the path as the file is named")
    if len(value) > MAX_PATH or any(len(part.encode()) > 255 for part in value.split("/")):
        raise _fail("path", f"the path is too long for a file system (at most {MAX_PATH} characters, "
                    "and 255 bytes per folder or file name)", "give the file a shorter name")
    return value


WorkspacePath = Annotated[str, AfterValidator(_check_path),
                          Field(min_length=1, description="A path relative to this file, inside the workspace.")]


def _fail(kind: str, message: str, hint: str = "") -> PydanticCustomError:
    return PydanticCustomError(kind, message, {"hint": hint} if hint else None)


def _check_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise _fail("url", f"expected a web address starting with https://, found {value!r}",
                    "write the full address, e.g. https://example.com/page")
    return value


WebUrl = Annotated[str, AfterValidator(_check_url), WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"})]


@cache
def known_regions() -> frozenset[str]:
    from babel import Locale

    not_countries = {"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"}
    return frozenset(code for code in Locale("en").territories
                     if len(code) == 2 and code.isalpha() and code not in not_countries)


@cache
def known_currencies() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


@cache
def known_timezones() -> frozenset[str]:
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


_NOT_ISO_REGIONS = {"UK": "GB", "EL": "GR", "USA": "US", "UAE": "AE"}


def _check_code(value: str, known: frozenset[str], what: str, examples: str) -> str:
    """A code from a known list; a lowercase spelling gets told to use capitals."""
    if value != value.upper() and value.upper() in known:
        raise _fail(what, f"{what} codes are written in capitals: {value.upper()!r}, not {value!r}",
                    f"write {value.upper()}")
    if value not in known:
        raise _fail(what, f"{value!r} is not a {what} code", f"use a code such as {examples}")
    return value


@cache
def country_names() -> dict[str, str]:
    """Country codes by name, in English and in each country's own languages, casefolded and
    without accents: `brasil` → BR, `deutschland` → DE, `germany` → DE."""
    from babel import Locale, UnknownLocaleError
    from babel.languages import get_official_languages

    names = {}
    for code in known_regions():
        for language in ("en", *get_official_languages(code, de_facto=True)):
            try:
                name = Locale.parse(language).territories.get(code)
            except (UnknownLocaleError, ValueError):
                continue
            if name:
                names.setdefault(plain_name(name), code)
    return names


def plain_name(text: str) -> str:
    """`São Paulo` → `sao paulo`, `日本` → `日本`: how names compare, whatever accents or case
    were typed (marks are dropped, letters of every script kept)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _check_region(value: str) -> str:
    if value in _NOT_ISO_REGIONS:
        raise _fail("region", f"{value!r} is not the ISO country code",
                    f"write {_NOT_ISO_REGIONS[value]}")
    named = country_names().get(plain_name(value)) if len(value) > 3 else None
    if named:
        raise _fail("region", f"{value!r} is the name of a country; briefkit wants its code", f"write {named}")
    return _check_code(value, known_regions(), "country", "US, GB, DE, FR or NO (ISO 3166-1)")


def _check_currency(value: str) -> str:
    return _check_code(value, known_currencies(), "currency", "USD, EUR or GBP (ISO 4217)")


def _check_timezone(value: str) -> str:
    if value not in known_timezones():
        city = plain_name(value).replace(" ", "_")
        zones = sorted(z for z in known_timezones() if "/" in z and plain_name(z.rpartition("/")[2]) == city)
        if zones:
            raise _fail("timezone", f"{value!r} is a city; a time zone is named by region and city",
                        f"write {zones[0]}")
        raise _fail("timezone", f"{value!r} is not a time zone name",
                    "use an IANA name such as America/New_York, Europe/Berlin or UTC")
    return value


# language[-Script][-REGION]: the part of BCP 47 that names a locale. A well-formed
# tag briefkit has no labels for is not an error: validation warns and the brief
# is written in English.
LANGUAGE_TAG = re.compile(r"([A-Za-z]{2,3})(?:-([A-Za-z]{4}))?(?:-([A-Za-z]{2}|[0-9]{3}))?")


def _check_locale(value: str) -> str:
    hint = "use a language tag such as en-US, de-DE, fr-CA or es-MX"
    if "_" in value:
        raise _fail("locale", f"write language tags with a hyphen: {value.replace('_', '-')!r}",
                    hint)
    if not LANGUAGE_TAG.fullmatch(value):
        raise _fail("locale", f"{value!r} is not a language tag", hint)
    return value


def locale_language(locale: str) -> str:
    """The language of a locale tag, in lowercase: `pt-BR` → `pt`."""
    return locale.partition("-")[0].lower()


def locale_region(locale: str) -> str | None:
    """The region of a locale tag, in capitals: `sr-Latn-RS` → `RS`, `es-419` → `419`;
    None when the tag names none."""
    match = LANGUAGE_TAG.fullmatch(locale)
    return match[3].upper() if match and match[3] else None


Region = Annotated[str, AfterValidator(_check_region),
                   WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$"})]
Currency = Annotated[str, AfterValidator(_check_currency),
                     WithJsonSchema({"type": "string", "pattern": "^[A-Z]{3}$"})]
TimeZone = Annotated[str, AfterValidator(_check_timezone), WithJsonSchema({"type": "string"})]
LocaleTag = Annotated[str, AfterValidator(_check_locale),
                      WithJsonSchema({"type": "string", "pattern": f"^{LANGUAGE_TAG.pattern}$"})]


@cache
def known_languages() -> frozenset[str]:
    from babel import Locale

    return frozenset(code.lower() for code in Locale("en").languages)


def is_language_tag(key: Any) -> bool:
    """`de`, `pt-BR`, `zh-Hant`: a tag naming a language CLDR knows (so that a sentence
    with a colon, `Tip: be yourself`, is never taken for a text in the language "Tip")."""
    return isinstance(key, str) and bool(LANGUAGE_TAG.fullmatch(key)) and locale_language(key) in known_languages()


def _text_kind(value: Any) -> str:
    return "texts" if isinstance(value, dict) and value and all(map(is_language_tag, value)) else "text"


def _texts_schema(markdown: bool) -> dict:
    one = {"type": "string", "minLength": 1} | ({"contentMediaType": "text/markdown"} if markdown else {})
    return {"anyOf": [one, {"type": "object", "minProperties": 1, "additionalProperties": one,
                            "propertyNames": {"pattern": f"^{LANGUAGE_TAG.pattern}$"},
                            "description": "The text per language (BCP 47 tag → text); it must hold the campaign's language."}]}


def _localizable(markdown: bool) -> Any:
    one = Annotated[str, Field(min_length=1)]
    return Annotated[
        Annotated[one, Tag("text")] | Annotated[dict[LocaleTag, one], Field(min_length=1), Tag("texts")],
        Discriminator(_text_kind), WithJsonSchema(_texts_schema(markdown))]


# A text creators read: one for everybody, or one per language (`{de: …, es: …}`), of
# which each creator reads theirs (docs/format.md, "Texts in several languages").
Text = _localizable(markdown=False)
Markdown = _localizable(markdown=True)


def _number(value: Any) -> Decimal:
    """A number as YAML gave it to briefkit: a whole number, or the exact decimal written
    (the loader never makes floats, so nothing is rounded on the way to the page)."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise _fail("number_type", "expected a number")
    number = Decimal(value)
    if not number.is_finite():
        raise _fail("number_type", "expected a finite number")
    return number


# A number written with separators: 1,500 · 1.500.000 · 1 500 · 1'500 · 1.500,50
_SEPARATED = re.compile(r"[-+]?\d{1,3}(?:([.,' \u00a0\u202f])\d{3})(?:\1\d{3})*(?:[.,]\d{1,2})?")
_CURRENCY_WORDS = re.compile(r"^\s*(?:[A-Za-z]{3}|[^\w\s.,'-]+)\s*([-+]?[\d.,' \u00a0\u202f]+?)\s*$"
                             r"|^\s*([-+]?[\d.,' \u00a0\u202f]+?)\s*(?:[A-Za-z]{3}|[^\w\s.,'-]+)\s*$")


def _digits_only(text: str) -> str:
    """`1.500,50` → `1500.50`: the number without its thousands separators."""
    decimals = re.search(r"[.,](\d{1,2})$", text)
    whole = text[:decimals.start()] if decimals else text
    return re.sub(r"[^\d-]", "", whole) + (f".{decimals[1]}" if decimals else "")


def _amount_as_text(text: str) -> PydanticCustomError:
    """Why an amount written as text is not one, and how to write it."""
    text = text.strip()
    with_currency = _CURRENCY_WORDS.match(text)
    if with_currency:
        number = (with_currency[1] or with_currency[2]).strip()
        shown = _digits_only(number) if _SEPARATED.fullmatch(number) else number
        return _fail("money_text", f"`{text}` is text, not an amount",
                     f"write the number alone, e.g. {shown}: the currency is set by `currency:`")
    if _SEPARATED.fullmatch(text):
        return _fail("money_text", f"`{text}` is text to YAML, not a number",
                     f"write {_digits_only(text)}, without separators")
    return _fail("number_type", f"expected an amount, found the text {text!r}", "write digits only, e.g. 1500")


def _amount(value: Any) -> Decimal:
    """An amount of money, checked for the way people misread numbers: `1.500` is one and
    a half to YAML but fifteen hundred to most of Europe, so a point or comma before
    exactly three digits is refused, as written (docs/format.md, "Money")."""
    if isinstance(value, str):
        raise _amount_as_text(value)
    amount = _number(value)
    if isinstance(value, Decimal) and value.as_tuple().exponent == -3:
        thousands = int(value.scaleb(3))
        if abs(thousands) >= 1000:
            raise _fail("money_separator", f"`{value}` would be read as {amount.normalize():f}: YAML takes the "
                        "point for a decimal point, not for a thousands separator",
                        f"write {thousands} if that is the amount (no separators), or {amount.normalize():f}")
        raise _fail("money_separator", f"`{value}` has three digits after the point, which amounts never have",
                    f"write at most two decimals, e.g. {amount.quantize(Decimal('0.01'), ROUND_HALF_UP)}")
    return amount


def _money(value: Any) -> Decimal:
    amount = _amount(value)
    if amount < 0:
        raise _fail("negative", f"must not be negative, found {_shown_number(amount)}")
    return _at_most(amount, MAX_AMOUNT)


def _rate(value: Any) -> Decimal:
    rate = _amount(value)
    if rate <= 0:
        raise _fail("rate", f"an exchange rate must be more than 0, found {_shown_number(rate)}",
                    "write what one unit of that currency is worth in the campaign's currency, e.g. 0.23")
    return _at_most(rate, MAX_AMOUNT)


def _at_most(number: Decimal, bound: Decimal) -> Decimal:
    if number > bound:
        raise _fail("too_large", f"{_shown_number(number)} is more than briefkit takes here ({bound:,f})",
                    "check the number; amounts are written in whole units, e.g. 1500")
    return number


def _shown_number(number: Decimal) -> str:
    """A number for a message, cut short when it is absurdly long."""
    text = f"{number:f}" if abs(number.adjusted()) < 40 else f"{number:.3e}"
    return text if len(text) <= 40 else text[:37] + "..."


def _json_number(value: Decimal) -> int | float:
    """A count or a percentage as a JSON number (amounts stay exact strings)."""
    return int(value) if value == value.to_integral_value() else float(value)


Money = Annotated[Decimal, PlainValidator(_money),
                  PlainSerializer(str, return_type=str, when_used="json"),  # exact, as written
                  WithJsonSchema({"type": "number", "minimum": 0})]
ExchangeRate = Annotated[Decimal, PlainValidator(_rate),
                         PlainSerializer(str, return_type=str, when_used="json"),
                         WithJsonSchema({"type": "number", "exclusiveMinimum": 0})]


def _percent(value: Any) -> Decimal:
    percent = _number(value)
    if not 0 < percent <= 100:
        raise _fail("percent", f"must be more than 0 and at most 100, found {percent}",
                    "write the percentage as a number, e.g. 15 for 15 %")
    return percent


def _target(value: Any) -> Decimal:
    target = _number(value)
    if target < 0:
        raise _fail("negative", f"must not be negative, found {_shown_number(target)}")
    return _at_most(target, MAX_AMOUNT)


Percent = Annotated[Decimal, PlainValidator(_percent),
                    PlainSerializer(_json_number, when_used="json"),
                    WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 100})]
Target = Annotated[Decimal, PlainValidator(_target),
                   PlainSerializer(_json_number, when_used="json"),
                   WithJsonSchema({"type": "number", "minimum": 0})]


def _deadline(value: Any) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise _fail("timezone_aware", "a date with a time needs a UTC offset",
                        "write e.g. 2027-03-10T18:00:00+01:00, or just the date 2027-03-10")
        return _in_range(value)
    if isinstance(value, dt.date):
        return _in_range(value)
    raise _fail("date_type", "expected a date")


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return _in_range(value)
    raise _fail("date_type", "expected a date (YYYY-MM-DD)")


def _in_range(value: dt.date) -> Any:
    day = value.date() if isinstance(value, dt.datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise _fail("date_range", f"{day.isoformat()} is not a date briefkit plans for",
                    f"dates are between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}")
    return value


Day = Annotated[dt.date, PlainValidator(_day),
                PlainSerializer(lambda value: value.isoformat(), return_type=str, when_used="json"),
                WithJsonSchema({"type": "string", "format": "date"})]


Deadline = Annotated[
    dt.date | dt.datetime,
    PlainValidator(_deadline),
    PlainSerializer(lambda value: value.isoformat(), return_type=str, when_used="json"),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"},
                              {"type": "string", "format": "date-time"}]}),
]


# --- models -----------------------------------------------------------------


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Colors(Strict):
    primary: Color = Field(description="Main brand colour as #rrggbb; used for headings and the header band.")
    accent: Color | None = Field(None, description="Second brand colour as #rrggbb; used for highlights.")


class Brand(Strict):
    name: Text = Field(description="The brand's name as creators know it.")
    website: WebUrl | None = Field(None, description="The brand's website.")
    logo: WorkspacePath | None = Field(None, description="Path to the logo (SVG preferred), relative to this file.")
    colors: Colors | None = Field(None, description="Brand colours for the brief's design.")
    values: list[Text] = Field([], description="What the brand stands for, shown to creators as short tags.")


class Contact(Strict):
    name: PlainText = Field(description="The person creators answer to.")
    email: EmailStr = Field(description="Where creators write; the brief's accept link goes here.")
    role: Text | None = Field(None, description="Their role, e.g. Brand Manager.")
    phone: PlainText | None = Field(None, description="Phone number, written as text (in quotes).")


class Objective(Strict):
    metric: Metric = Field(description="What the campaign measures.")
    target: Target | None = Field(None, description="The number the campaign aims for.")
    description: Text | None = Field(None, description="The objective in plain words.")


class Audience(Strict):
    description: Text | None = Field(None, description="Who the campaign wants to reach.")
    age: PlainText | None = Field(None, description='Age range as text, e.g. "25-35".')
    regions: list[Region] = Field([], description="Countries of the audience (ISO 3166-1 alpha-2).")
    interests: list[Text] = Field([], description="Interests of the audience.")


class Product(Strict):
    name: Text = Field(description="The product the creator receives.")
    value: Money | None = Field(None, description="Retail value, in the currency of the file that gives it.")
    ships_by: Day | None = Field(None, description="Date by which the product is shipped.")


class ProductOverride(Strict):
    name: Text | None = Field(None, description="This creator's product, instead of the campaign's.")
    value: Money | None = Field(None, description="Its retail value, in this creator's currency.")
    ships_by: Day | None = Field(None, description="Date by which it is shipped.")


OFFER_TYPE_HELP = ("paid (a fee), gifted (a product), affiliate (commission on sales) or hybrid "
                   "(two or three of them)")


class Offer(Strict):
    type: OfferType = Field(description=OFFER_TYPE_HELP + ".")
    fee: Money | None = Field(None, description="Fee per creator in the campaign currency; creators may override it.")
    product: Product | None = Field(None, description="The gifted product.")
    commission_percent: Percent | None = Field(None, description="Commission on sales through the creator's link or code, in percent.")
    payment_terms: Text | None = Field(None, description="When and how the fee is paid.")
    extras: list[Text] = Field([], description="Anything else the creator receives.")


class OfferOverride(Strict):
    type: OfferType | None = Field(None, description=OFFER_TYPE_HELP + "; the campaign's when left out.")
    fee: Money | None = Field(None, description="This creator's fee, in their currency.")
    product: ProductOverride | None = Field(None, description="This creator's product; merged key by key over the campaign's.")
    commission_percent: Percent | None = Field(None, description="This creator's commission, in percent.")
    payment_terms: Text | None = Field(None, description="When and how this creator is paid.")
    extras: list[Text] | None = Field(None, description="What else this creator receives, instead of the campaign's extras.")


class LiveWindow(Strict):
    start: Deadline = Field(description="First day the content may go live.")
    end: Deadline = Field(description="Last day the content may go live.")


class Deliverable(Strict):
    id: Slug = Field(description="Short unique name, e.g. ig-reel; creators refer to deliverables by it.")
    platform: Platform = Field(description="Where the content is published.")
    format: Text = Field(description="The kind of content, e.g. reel, story, video, post.")
    count: int = Field(1, ge=1, le=MAX_COUNT, description="How many pieces of this deliverable.")
    draft_due: Deadline | None = Field(None, description="When the draft is due for review.")
    live_on: Deadline | None = Field(None, description="The go-live date (or use live_window).")
    live_window: LiveWindow | None = Field(None, description="A window in which to go live, instead of live_on.")
    specs: Text | None = Field(None, description="Length, aspect ratio and other technical requirements.")
    collab_post: bool | None = Field(None, description="Whether to publish as a collab post with the brand.")
    notes: Markdown | None = Field(None, description="More guidance for this deliverable (Markdown).")


class Creative(Strict):
    freedom: Markdown = Field(description="What the creator decides freely (Markdown).")
    do: list[Text] = Field([], description="What to do.")
    dont: list[Text] = Field([], description="What not to do; quoted phrases are checked in draft captions.")
    hashtags: list[Hashtag] = Field([], description="Hashtags every post must carry, each starting with #.")
    mentions: list[Mention] = Field([], description="Accounts every post must mention, each starting with @.")
    example_captions: list[Text] = Field([], description="Example captions; {disclosure.label} becomes each creator's label.")
    references: list[WebUrl] = Field([], description="Links to inspiration.")


class Disclosure(Strict):
    label: Text | None = Field(None, description="A label to use for every creator instead of the built-in one; must be accepted in every creator's region.")
    notes: Markdown | None = Field(None, description="More disclosure guidance (Markdown).")
    retouched_images: bool = Field(False, description="Images are retouched (France requires \"Images retouchées\").")
    ai_generated: bool = Field(False, description="Images are AI-generated (France requires \"Images virtuelles\").")


class Review(Strict):
    rounds: int = Field(1, ge=0, le=20, description="How many rounds of feedback on drafts.")
    turnaround_days: int = Field(2, ge=0, le=365, description="Days the brand takes to answer a draft.")
    submit_via: Text | None = Field(None, description="How to submit drafts.")


class Exclusivity(Strict):
    category: Text = Field(description="The product category the creator may not promote for competitors.")
    days: int = Field(ge=0, le=MAX_DAYS, description="For how many days after going live.")


class UsageRights(Strict):
    organic_days: int | None = Field(None, ge=0, le=MAX_DAYS, description="Days the brand may repost the content on its own channels.")
    paid_ads_days: int | None = Field(None, ge=0, le=MAX_DAYS, description="Days the brand may use the content in paid ads.")
    whitelisting: bool | None = Field(None, description="Whether the brand may run ads from the creator's account.")
    exclusivity: Exclusivity | None = Field(None, description="Exclusivity after going live.")


class Utm(Strict):
    source: PlainText = Field("{platform}", description="utm_source pattern.")
    medium: PlainText = Field("influencer", description="utm_medium pattern.")
    campaign: PlainText = Field("{campaign.id}", description="utm_campaign pattern.")
    content: PlainText = Field("{creator.slug}", description="utm_content pattern.")


class Tracking(Strict):
    landing_page: WebUrl = Field(description="The page tracking links lead to.")
    utm: Utm = Field(Utm(), description="UTM parameter patterns; placeholders are filled per creator and platform.")
    discount_code: PlainText | None = Field(None, description="Discount-code pattern, e.g. GLOW-{creator.slug}; codes must be unique.")


class Asset(Strict):
    path: WorkspacePath = Field(description="File to include in every creator's packet, relative to this file.")
    title: Text = Field(description="What the file is.")


class PlatformAccount(Strict):
    handle: Handle | None = Field(None, description="The creator's handle on this platform, if different from `handle`.")
    name: PlainText | None = Field(None, description="The name of the creator's show or site on this platform (a podcast, a blog), shown instead of the handle.")
    followers: int = Field(ge=0, le=MAX_FOLLOWERS, description="Followers or subscribers; decides the tier.")


class DeliverableOverride(Strict):
    id: Slug = Field(description="The id of a campaign deliverable.")
    count: int | None = Field(None, ge=1, le=MAX_COUNT, description="This creator's count.")
    draft_due: Deadline | None = Field(None, description="This creator's draft date.")
    live_on: Deadline | None = Field(None, description="This creator's go-live date.")


def _deliverable_choice(value: Any) -> str:
    return "id" if isinstance(value, str) else "override"


DeliverableChoice = Annotated[
    Annotated[Slug, Tag("id")] | Annotated[DeliverableOverride, Tag("override")],
    Discriminator(_deliverable_choice),
]


GIT_REVISION_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._/~^@{}-]*$"
VERSION_PATTERN = r"^[0-9a-f]{8}$"


class Manager(Strict):
    name: PlainText | None = Field(None, description="The manager's or agent's name.")
    email: EmailStr = Field(description="Copied on every e-mail to the creator; never shown in the brief.")


class Response(Strict):
    """The creator's answer to their brief (docs/answers.md)."""

    status: Literal["accepted", "declined"] = Field(description="What the creator answered.")
    on: Day = Field(description="The day they answered.")
    revision: Annotated[str, Field(pattern=GIT_REVISION_PATTERN, max_length=100)] | None = Field(
        None, description="The git revision of the brief they answered; `briefkit respond` fills it in.")
    version: Annotated[str, Field(pattern=VERSION_PATTERN)] | None = Field(
        None, description="The version of the brief they answered (its footer shows it); written outside git, "
                          "where there is no revision to compare with.")


class Creator(Strict):
    handle: Handle = Field(description="The creator's main handle; unique in the campaign; the @ is optional.")
    slug: Slug | None = Field(None, description="Folder name of the creator's packet; made from the handle when left out.")
    name: PlainText = Field(description="The creator's name.")
    email: EmailStr | None = Field(None, description="The creator's e-mail, where `briefkit mail` writes (not shown in the brief).")
    manager: Manager | None = Field(None, description="The creator's talent manager or agent, copied on e-mails; never shown in the brief.")
    region: Region = Field(description="Where the creator publishes from (ISO 3166-1 alpha-2); selects the disclosure rules.")
    audience_regions: list[Region] = Field([], description="More countries whose disclosure rules apply.")
    locale: LocaleTag | None = Field(None, description="Language and formats of this creator's brief; the campaign's when left out.")
    timezone: TimeZone | None = Field(None, description="The creator's time zone; the campaign's when left out.")
    platforms: dict[Platform, PlatformAccount] = Field(min_length=1, description="The creator's platforms and followers.")
    tier: Tier | None = Field(None, description="Computed from the largest platform; a declared tier that disagrees is a warning.")
    deliverables: list[DeliverableChoice] | None = Field(None, description="Deliverable ids or per-creator overrides; default: every deliverable on the creator's platforms.")
    offer: OfferOverride | None = Field(None, description="This creator's own offer, merged over the campaign's; its type decides what the brief shows.")
    currency: Currency | None = Field(None, description="The currency of the amounts this creator's entry gives (fee, product value); the campaign's when left out.")
    fee: Money | None = Field(None, description="This creator's fee, instead of the campaign's (the same as `offer.fee`).")
    commission_percent: Percent | None = Field(None, description="This creator's commission, instead of the campaign's (the same as `offer.commission_percent`).")
    product: Product | None = Field(None, description="This creator's product, instead of the campaign's (replaces it whole).")
    discount_code: PlainText | None = Field(None, description="This creator's discount code (or pattern), instead of the campaign's.")
    why_you: Markdown | None = Field(None, description="Why this creator was chosen (Markdown).")
    response: Response | None = Field(None, description="The creator's answer: accepted or declined, when, and to which revision of the brief.")
    internal: Any = Field(None, description="Notes for the team; never rendered, never copied.")


class Campaign(Strict):
    id: Slug | None = Field(None, description="Used in paths and utm_campaign; the folder name when left out.")
    title: Text = Field(description="The campaign's title.")
    brand: Brand = Field(description="The brand.")
    contact: Contact = Field(description="Whom the creator answers.")
    locale: LocaleTag = Field("en-US", description="Language of labels and formats of dates and money (BCP 47).")
    currency: Currency = Field("USD", description="Currency of fees and values (ISO 4217).")
    timezone: TimeZone = Field("UTC", description="Deadlines are the end of the day in this zone unless a time is given.")
    respond_by: Deadline = Field(description="The creator's deadline to accept.")
    budget: Money | None = Field(None, description="The sum of creator fees, in the campaign's currency, must not exceed it.")
    exchange_rates: dict[Currency, ExchangeRate] = Field({}, description="What one unit of another currency is worth in the campaign's currency, for the budget of creators paid in it.")
    overview: Markdown = Field(description="What the campaign is about (Markdown).")
    objectives: list[Objective] = Field(min_length=1, description="What the campaign aims for.")
    audience: Audience | None = Field(None, description="Whom the campaign wants to reach.")
    key_messages: list[Text] = Field([], description="Messages every piece of content should carry.")
    offer: Offer = Field(description="What creators receive.")
    deliverables: list[Deliverable] = Field(min_length=1, description="What creators publish.")
    creative: Creative = Field(description="Creative freedom and rules.")
    disclosure: Disclosure = Field(Disclosure(), description="How creators disclose the partnership.")
    review: Review = Field(Review(), description="How drafts are reviewed.")
    usage_rights: UsageRights | None = Field(None, description="What the brand may do with the content.")
    tracking: Tracking | None = Field(None, description="Tracking links and discount codes.")
    assets: list[Asset] = Field([], description="Files copied into each creator's packet.")
    internal: Any = Field(None, description="Notes for the team; never rendered, never copied.")
    creators: list[Creator] = Field([], description="Creators written inline; merged with creators/*.yaml.")


class MailSettings(Strict):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    sender: EmailStr | None = Field(None, alias="from", description="The address e-mails come from; the campaign's contact when left out.")
    host: PlainText | None = Field(None, description="The SMTP server `briefkit mail --send` sends through.")
    port: int = Field(587, ge=1, le=65535, description="The SMTP server's port.")
    security: Literal["starttls", "ssl", "none"] = Field("starttls", description="starttls (port 587), ssl (port 465), or none (only for a server on this machine).")
    username: PlainText | None = Field(None, description="The SMTP login; the password is read from BRIEFKIT_SMTP_PASSWORD, never from a file.")
    rate_per_minute: int = Field(20, ge=1, le=10_000, description="At most this many messages a minute.")


class Settings(Strict):
    theme: Slug = Field("default", description="Theme folder under themes/ that overrides the default theme.")
    output: WorkspacePath = Field("output", description="Where packets are written.")
    base_url: WebUrl | None = Field(None, description="Address where output/ is published, for absolute links in e-mails.")
    private_links: bool = Field(False, description="Add a secret suffix to every creator folder (needs BRIEFKIT_SECRET).")
    credit: bool = Field(False, description="Say \"made with briefkit\" at the end of every brief; packets do not name briefkit otherwise.")
    mail: MailSettings = Field(MailSettings(), description="How `briefkit mail` addresses and sends e-mails (docs/mail.md).")
    defaults: dict[str, Any] = Field({}, description="Campaign keys deep-merged under every campaign.")


def tier_for(followers: int) -> Tier:
    """nano < 10,000 ≤ micro < 100,000 ≤ macro < 1,000,000 ≤ mega."""
    if followers < 10_000:
        return "nano"
    if followers < 100_000:
        return "micro"
    if followers < 1_000_000:
        return "macro"
    return "mega"


def json_schema_text(kind: Literal["campaign", "creator", "settings"] | None = None) -> str:
    """`json_schema(kind)` as the file `briefkit schema` prints and `briefkit new` writes."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def json_schema(kind: Literal["campaign", "creator", "settings"] | None = None) -> dict:
    """The JSON Schema of campaign, creator or settings files; all three when kind is None."""
    models = {"campaign": Campaign, "creator": Creator, "settings": Settings}
    if kind:
        schema = models[kind].model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        return schema
    from pydantic.json_schema import models_json_schema

    _, definitions = models_json_schema([(m, "validation") for m in models.values()],
                                        ref_template="#/$defs/{model}")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "briefkit campaign, creator or settings file",
        "anyOf": [{"$ref": f"#/$defs/{m.__name__}"} for m in models.values()],
        **definitions,
    }


# --- what the format means, shared by validation and resolution -----------------


def slug_from_handle(handle: str) -> str:
    """`@Maya.Makes` → `maya-makes`; empty when nothing usable is left (e.g. all emoji)."""
    ascii_text = unicodedata.normalize("NFKD", handle).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def handle_key(handle: str) -> str:
    """Handles compare without the @ and without case."""
    return bare_handle(handle).lower()


def bare_handle(handle: str) -> str:
    """A handle as placeholders and the brief use it, without its @: `maya.makes`."""
    return handle.removeprefix("@")


def shown_handle(handle: str) -> str:
    """A handle as messages, the team and reviewers name the creator: `@maya.makes`."""
    return "@" + bare_handle(handle)


class Amount(NamedTuple):
    """An amount of money and its currency (ISO 4217)."""

    value: Decimal
    currency: str


@dataclass(frozen=True)
class CreatorOffer:
    """A creator's offer: their own (`offer:`, and the shortcuts `fee:`, `product:` and
    `commission_percent:`) over the campaign's, each amount in the currency of the file
    that gives it."""

    type: OfferType
    fee: Amount | None
    product: Product | None
    product_value: Amount | None
    commission_percent: Decimal | None
    payment_terms: str | None
    extras: tuple[str, ...]

    @property
    def terms(self) -> tuple[str, ...]:
        """What the offer gives the creator, which is all their brief shows of it: paid → the
        fee, gifted → the product, affiliate → the commission, hybrid → those of the three
        that are set. A gifted creator in a paid campaign never sees a fee."""
        kinds = {"paid": ("fee",), "gifted": ("product",), "affiliate": ("commission_percent",),
                 "hybrid": ("fee", "product", "commission_percent")}[self.type]
        return tuple(term for term in kinds if getattr(self, term) is not None)


def creator_offer(campaign: Campaign, creator: Creator) -> CreatorOffer:
    """The creator's offer, merged: `offer:` first, then the shortcuts, then the campaign."""
    own = creator.offer or OfferOverride()
    base = campaign.offer
    own_currency = creator.currency or campaign.currency

    def chosen(key: str) -> tuple[Any, str]:
        """The value of `key` and the currency of the file it came from."""
        for value, currency in ((getattr(own, key), own_currency), (getattr(creator, key), own_currency)):
            if value is not None:
                return value, currency
        return getattr(base, key), campaign.currency

    fee, fee_currency = chosen("fee")
    product, value_currency = (creator.product, own_currency) if creator.product else (base.product, campaign.currency)
    if own.product is not None:  # merged key by key over the product above
        written = own.product.model_dump(exclude_none=True)
        merged = (product.model_dump() if product else {}) | written
        # Without a name there is no product (validation reports it).
        product = Product.model_validate(merged) if merged.get("name") else None
        if "value" in written:
            value_currency = own_currency
    return CreatorOffer(
        type=own.type or base.type,
        fee=Amount(fee, fee_currency) if fee is not None else None,
        product=product,
        product_value=Amount(product.value, value_currency) if product and product.value is not None else None,
        commission_percent=chosen("commission_percent")[0],
        payment_terms=own.payment_terms if own.payment_terms is not None else base.payment_terms,
        extras=tuple(own.extras if own.extras is not None else base.extras),
    )


def in_campaign_currency(campaign: Campaign, amount: Amount) -> Decimal | None:
    """`amount` in the campaign's currency, through `exchange_rates`; None without a rate."""
    if amount.currency == campaign.currency:
        return amount.value
    rate = campaign.exchange_rates.get(amount.currency)
    return amount.value * rate if rate is not None else None


def reading_tags(locale: str) -> list[str]:
    """The language tags a reader of `locale` reads, most specific first: the locale
    itself (`es-MX`), CLDR's parent of it (`es-419`; `pt-PT` for pt-AO), its script where
    a language is written in two (`zh-Hant` for zh-TW), its language (`es`)."""
    from babel.core import get_global, parse_locale

    try:
        language, region, script, _ = parse_locale(locale, sep="-")
    except ValueError:
        return [locale]
    likely = get_global("likely_subtags")
    typical = likely.get(f"{language}_{region}") or likely.get(language) or ""
    script = script or (parse_locale(typical)[2] if typical else None)
    parent = get_global("parent_exceptions").get(f"{language}_{region}", "").replace("_", "-")
    tags = [f"{language}-{script}-{region}" if script and region else "", f"{language}-{region}" if region else "",
            parent, f"{language}-{script}" if script else "", language]
    return list(dict.fromkeys(tag for tag in tags if tag))


def variant_for(texts: dict[str, str], locale: str, fallback: str) -> str | None:
    """The text of `texts` (language tag → text) a reader of `locale` reads: the most
    specific of `reading_tags(locale)` it has (`pt-BR`, else `pt`); else None."""
    by_tag = {tag.casefold(): text for tag, text in texts.items()}
    return next((by_tag[tag.casefold()] for tag in reading_tags(locale) if tag.casefold() in by_tag), None)


@cache
def _text_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model class that may hold a text in several languages, `internal:`
    left out: walking only these, a creator's texts are found in a third of the time."""
    return tuple(name for name, field in model.model_fields.items()
                 if name != "internal" and _may_hold_texts(field.annotation))


def _may_hold_texts(annotation: Any) -> bool:
    """Whether a value of this type may be or hold a mapping (a text in several languages
    is one); True for any type not known to hold none."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _may_hold_texts(get_args(annotation)[0])
    if origin is Literal:
        return False
    if origin in (Union, UnionType, list, tuple, set, frozenset):
        return any(_may_hold_texts(arg) for arg in get_args(annotation) if arg is not Ellipsis)
    return not (isinstance(annotation, type) and issubclass(annotation, _FLAT_TYPES))


_FLAT_TYPES = (str, int, float, Decimal, dt.date, dt.time, dt.timedelta, Enum, type(None))


def in_language(value: Any, locale: str, fallback: str) -> Any:
    """`value` with every text in several languages replaced by the one a reader of
    `locale` reads: theirs (`variant_for`), else the `fallback` locale's (the campaign's),
    else the first. Models, lists and mappings are walked; `internal:` stays as it is."""
    if isinstance(value, BaseModel):  # copied only where a text changes
        update = {}
        for name in _text_fields(type(value)):
            before = getattr(value, name)
            after = in_language(before, locale, fallback)
            if after is not before:
                update[name] = after
        return value.model_copy(update=update) if update else value
    if isinstance(value, list):
        items = [in_language(item, locale, fallback) for item in value]
        return value if all(a is b for a, b in zip(items, value)) else items
    if isinstance(value, dict) and value and _text_kind(value) == "texts" and all(isinstance(v, str) for v in value.values()):
        return variant_for(value, locale, fallback) or variant_for(value, fallback, fallback) or next(iter(value.values()))
    if isinstance(value, dict):
        items = {key: in_language(item, locale, fallback) for key, item in value.items()}
        return value if all(items[key] is item for key, item in value.items()) else items
    return value


def texts_in_languages(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, dict[str, str]]]:
    """Every text in several languages inside `value`, with its key path."""
    if isinstance(value, BaseModel):
        for name in _text_fields(type(value)):
            yield from texts_in_languages(getattr(value, name), (*path, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from texts_in_languages(item, (*path, index))
    elif isinstance(value, dict) and value and _text_kind(value) == "texts" and all(isinstance(v, str) for v in value.values()):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts_in_languages(item, (*path, key))


def locale_of(campaign: Campaign, creator: Creator) -> str:
    """The locale of a creator's brief: their own, else the campaign's."""
    return creator.locale or campaign.locale


def discount_pattern(campaign: Campaign, creator: Creator) -> str | None:
    """The creator's discount code (or pattern), else the campaign's pattern, else None."""
    if creator.discount_code is not None:
        return creator.discount_code
    return campaign.tracking.discount_code if campaign.tracking else None


def creator_tier(creator: Creator) -> Tier:
    return tier_for(max(account.followers for account in creator.platforms.values()))


def creator_deliverables(campaign: Campaign, creator: Creator) -> list[Deliverable]:
    """The creator's deliverables with their overrides applied, in the creator's order.

    Default: every campaign deliverable on a platform the creator has. Unknown
    ids are skipped here; validation reports them.
    """
    by_id = {d.id: d for d in campaign.deliverables}
    if creator.deliverables is None:
        return [d for d in campaign.deliverables if d.platform in creator.platforms]
    chosen = []
    for item in creator.deliverables:
        if isinstance(item, str):
            if item in by_id:
                chosen.append(by_id[item])
            continue
        base = by_id.get(item.id)
        if base is None:
            continue
        update = {k: v for k, v in item.model_dump(exclude={"id"}).items() if v is not None}
        if "live_on" in update:
            update["live_window"] = None
        chosen.append(base.model_copy(update=update))
    return chosen


def now() -> dt.datetime:
    """The current time, for warnings about dates already past. With `SOURCE_DATE_EPOCH`
    set (reproducible builds), that moment instead, so a run can be repeated exactly."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


def deadline_instant(value: dt.date | dt.datetime, timezone: str) -> dt.datetime:
    """A deadline as a moment: a bare date means the end of that day in `timezone`."""
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(23, 59, 59), ZoneInfo(timezone))


def go_live(deliverable: Deliverable) -> dt.date | dt.datetime | None:
    if deliverable.live_on is not None:
        return deliverable.live_on
    return deliverable.live_window.start if deliverable.live_window else None
