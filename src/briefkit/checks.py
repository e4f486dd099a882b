"""The format's cross-field rules, one function each, run by `validate.py` on a campaign
whose campaign and creator files each passed the model on their own.

A rule takes the normalised campaign (`CampaignCheck`: ids and slugs filled in)
and yields diagnostics at the place in the files they are about. To add a rule,
write a function here, add it to `RULES`, and document it in docs/validation.md.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from babel.numbers import get_currency_precision

from . import disclosure, placeholders
from .diagnostics import Diagnostic, KeyPath, Location, error, listed, warning
from .markup import shows_an_image
from .load import CampaignSource
from .model import (Campaign, Creator, CreatorOffer, Deliverable, creator_deliverables, creator_offer,
                    creator_tier, deadline_instant, discount_pattern, go_live, in_campaign_currency, in_language,
                    locale_language, locale_of, now, shown_handle, texts_in_languages, variant_for)
from .theme import Theme
from .yamlfile import Sourced, value_at


@dataclass(frozen=True)
class CampaignCheck:
    """A campaign as the rules see it: valid on its own, with its id, and every valid
    creator with a slug, beside the source it came from."""

    root: Path
    theme: Theme
    source: CampaignSource
    campaign: Campaign
    creators: list[tuple[Creator, Sourced]]
    _read: dict[str, Campaign] = field(default_factory=dict, compare=False, repr=False)

    def where(self, path: KeyPath) -> Location:
        """A place in campaign.yaml (with the workspace's defaults under it)."""
        return self.source.campaign.locate(path)

    def read_by(self, creator: Creator) -> Campaign:
        """The campaign as `creator` reads it: every text in their language."""
        locale = locale_of(self.campaign, creator)
        if locale not in self._read:  # most creators share a handful of locales
            self._read[locale] = in_language(self.campaign, locale, self.campaign.locale)
        return self._read[locale]


Rule = Callable[[CampaignCheck], Iterator[Diagnostic]]


# --- dates ----------------------------------------------------------------------


def dates(check: CampaignCheck) -> Iterator[Diagnostic]:
    """Deliverable dates in order (respond by ≤ draft, draft + review ≤ go-live), the
    campaign's and each creator's own; the product shipped before it is needed."""
    for index, deliverable in enumerate(check.campaign.deliverables):
        for key, message, hint in _date_problems(check.campaign, deliverable):
            yield error(check.where(("deliverables", index, *key)), message, hint, "dates")
        yield from _shipping(check, deliverable, ("deliverables", index))
    for creator, source in check.creators:
        overrides = {item.id: index for index, item in enumerate(creator.deliverables or [])
                     if not isinstance(item, str) and (item.draft_due or item.live_on)}
        for deliverable in creator_deliverables(check.campaign, creator):
            if deliverable.id in overrides:
                for key, message, hint in _date_problems(check.campaign, deliverable):
                    path = ("deliverables", overrides[deliverable.id], *key)
                    yield error(source.locate(path), f"{shown_handle(creator.handle)}: {message}", hint, "dates")


def reply_ahead(check: CampaignCheck) -> Iterator[Diagnostic]:
    """A reply-by date already past when the campaign is checked is a warning: creators
    cannot meet it."""
    campaign = check.campaign
    if deadline_instant(campaign.respond_by, campaign.timezone) < now():
        yield warning(check.where(("respond_by",)), f"the reply-by date {_day(campaign.respond_by)} has passed",
                      "move respond_by to a date creators can still meet, and the other dates with it", "dates")


def _date_problems(campaign: Campaign, deliverable: Deliverable) -> Iterator[tuple[KeyPath, str, str]]:
    tz = campaign.timezone
    respond_by = campaign.respond_by
    window = deliverable.live_window
    if deliverable.live_on is not None and window is not None:
        yield (("live_window",), "set either live_on or live_window, not both",
               "keep the one you mean")
    if window and deadline_instant(window.start, tz) > deadline_instant(window.end, tz):
        yield (("live_window", "end"), f"the go-live window ends ({_day(window.end)}) "
               f"before it starts ({_day(window.start)})", "swap start and end")
    live = go_live(deliverable)
    live_key = ("live_on",) if deliverable.live_on is not None else ("live_window", "start")
    draft = deliverable.draft_due
    if draft is not None and deadline_instant(draft, tz) < deadline_instant(respond_by, tz):
        yield (("draft_due",), f"the draft is due {_day(draft)}, before the respond-by date "
               f"{_day(respond_by)}", "creators accept first: move draft_due after respond_by")
    if draft is None and live is not None and \
            deadline_instant(live, tz) < deadline_instant(respond_by, tz):
        yield (live_key, f"goes live {_day(live)}, before the respond-by date {_day(respond_by)}",
               "move the go-live date after respond_by")
    if draft is not None and live is not None:
        days = campaign.review.turnaround_days
        review_period = dt.timedelta(days=days)
        if deadline_instant(draft, tz) + review_period > deadline_instant(live, tz):
            reviewed = draft + review_period
            yield (live_key, f"goes live {_day(live)}, but the draft is due {_day(draft)} and "
                   f"review takes {days} day{'s' * (days != 1)} (until {_day(reviewed)})",
                   "move the go-live date later or the draft date earlier")


def _shipping(check: CampaignCheck, deliverable: Deliverable, path: KeyPath) -> Iterator[Diagnostic]:
    product = check.campaign.offer.product
    due = deliverable.draft_due or go_live(deliverable)
    if product and product.ships_by and due and product.ships_by > _as_date(due):
        yield warning(check.where(path), f"the product ships {_day(product.ships_by)}, "
                      f"after `{deliverable.id}` is due ({_day(due)})",
                      "ship earlier or give creators more time", "dates")


# --- offer and money -------------------------------------------------------------


def offers(check: CampaignCheck) -> Iterator[Diagnostic]:
    """Every creator's offer, theirs merged over the campaign's, gives what its type
    promises: one error at the campaign when no creator gets what its offer lacks, else
    one at each creator; the same term written twice on a creator is an error; a term
    a creator's own entry sets that their type does not use is a warning."""
    lacking: list[tuple[Creator, Sourced, str, str]] = []
    for creator, source in check.creators:
        yield from _written_twice(creator, source)
        offer = creator_offer(check.campaign, creator)
        if (creator.offer and creator.offer.product is not None and offer.product is None):
            yield error(source.locate(("offer", "product"), key=True), "the product needs a `name`: the campaign's offer "
                        "has no product to take it from", "add `name:` under `product:`", "offer")
            continue
        problem = _offer_problem(offer)
        if problem is not None:
            lacking.append((creator, source, *problem))
        yield from _unused_terms(creator, source, offer)
    messages = {message for _, _, message, _ in lacking}
    own_types = [c for c, *_ in lacking if c.offer and c.offer.type]
    if len(lacking) == len(check.creators) > 0 and len(messages) == 1 and not own_types:
        # The campaign's offer lacks it, and no creator makes up for it: one message.
        _, _, message, hint = lacking[0]
        yield error(check.where(("offer", "type")), f"the campaign's offer: {message}",
                    f"{hint}; or give every creator their own", "offer")
        return
    for creator, source, message, hint in lacking:
        where = ("offer",) if creator.offer is not None else ()
        yield error(source.locate(where, key=True), f"{shown_handle(creator.handle)}'s offer: {message}", hint,
                    "offer")


def _offer_problem(offer: CreatorOffer) -> tuple[str, str] | None:
    """What is wrong with an offer for its type, as (message, hint); None when nothing is."""
    alternative = "gifted" if offer.product else "affiliate" if offer.commission_percent else "gifted"
    if offer.type in ("paid", "hybrid") and (offer.fee is None or offer.fee.value == 0):
        found = "no fee" if offer.fee is None else "a fee of 0"
        return (f"a {offer.type} offer needs a fee, and this one has {found}",
                f"add `fee:`, or write `type: {alternative}` if the creator is not paid a fee")
    if offer.type == "gifted" and offer.product is None:
        return "a gifted offer needs a product", "add `product: {name: …}`, or choose another `type:`"
    if offer.type == "affiliate" and offer.commission_percent is None:
        return "an affiliate offer needs `commission_percent`", "add e.g. `commission_percent: 15`"
    if offer.type == "hybrid" and len(offer.terms) < 2:
        return ("a hybrid offer gives two or three of fee, product and commission, and this one gives "
                "only the fee", "write `type: paid`, or add a product or `commission_percent`")
    return None


def _written_twice(creator: Creator, source: Sourced) -> Iterator[Diagnostic]:
    for key in ("fee", "commission_percent", "product"):
        if getattr(creator, key) is not None and creator.offer and getattr(creator.offer, key) is not None:
            yield error(source.locate((key,), key=True), f"`{key}` is set twice: here and under `offer:`",
                        f"keep one of them; `offer.{key}` is the place for it", "offer")


def _unused_terms(creator: Creator, source: Sourced, offer: CreatorOffer) -> Iterator[Diagnostic]:
    """A term the creator's own entry sets that their offer's type does not give."""
    for key in ("fee", "product", "commission_percent"):
        written = [path for path in ((key,), ("offer", key))
                   if _get(creator, path) is not None]
        if written and key not in offer.terms:
            name = {"commission_percent": "commission"}.get(key, key)
            yield warning(source.locate(written[-1]), f"the offer is {offer.type}, so this {name} is not "
                          "shown to the creator", "set `type: hybrid` to give both, or remove it", "offer")


def _get(model: Any, path: KeyPath) -> Any:
    for step in path:
        model = getattr(model, str(step), None) if model is not None else None
    return model


def budget(check: CampaignCheck) -> Iterator[Diagnostic]:
    """The fees add up, in the campaign's currency, to no more than the budget; a creator
    paid in another currency needs its rate in `exchange_rates`."""
    campaign = check.campaign
    if campaign.budget is None:
        return
    total, complete = Decimal(0), True
    for creator, source in check.creators:
        offer = creator_offer(campaign, creator)
        if "fee" not in offer.terms or offer.fee is None:
            continue
        converted = in_campaign_currency(campaign, offer.fee)
        if converted is None:
            complete = False
            yield error(source.locate(("currency",)), f"{shown_handle(creator.handle)} is paid in "
                        f"{offer.fee.currency}, and the campaign has no exchange rate for it",
                        f"add `{offer.fee.currency}: <what 1 {offer.fee.currency} is worth in {campaign.currency}>` "
                        "under `exchange_rates:` in campaign.yaml", "budget")
            continue
        total += converted
    if complete and total > campaign.budget:
        yield error(check.where(("budget",)),
                    f"creator fees add up to {total:,.2f} {campaign.currency}, more than "
                    f"the budget of {campaign.budget:,} {campaign.currency}",
                    "raise the budget or lower some fees", "budget")


def amounts_fit_their_currency(check: CampaignCheck) -> Iterator[Diagnostic]:
    """An amount has no more decimals than its currency: none for JPY or KRW, two for EUR."""
    campaign = check.campaign
    written = [(check.source.campaign, campaign.currency, path, _get(campaign, path))
               for path in (("offer", "fee"), ("offer", "product", "value"), ("budget",))]
    for creator, source in check.creators:
        currency = creator.currency or campaign.currency
        written += [(source, currency, path, _get(creator, path))
                    for path in (("fee",), ("product", "value"), ("offer", "fee"), ("offer", "product", "value"))]
    for source, currency, path, amount in written:
        if amount is None:
            continue
        digits = get_currency_precision(currency)
        if -amount.as_tuple().exponent > digits and amount != amount.quantize(Decimal(1).scaleb(-digits)):
            whole = "whole numbers" if digits == 0 else f"at most {digits} decimals"
            yield error(source.locate(path), f"{amount} {currency}: {currency} amounts are written in {whole}",
                        f"write {amount.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)}", "money")


# --- uniqueness ------------------------------------------------------------------


def unique(check: CampaignCheck) -> Iterator[Diagnostic]:
    """Deliverable ids, and each creator's handle, slug and discount code, are unique."""
    seen_ids: set[str] = set()
    for index, deliverable in enumerate(check.campaign.deliverables):
        if deliverable.id in seen_ids:
            yield error(check.where(("deliverables", index, "id")),
                        f"deliverable id `{deliverable.id}` is used twice",
                        "give each deliverable its own id", "duplicate")
        seen_ids.add(deliverable.id)
    handles = list(_unique_per_creator(check.creators, "handle", lambda c: shown_handle(c.handle)))
    yield from handles
    # A creator whose handle is taken (a copied file, most often) has the same slug and code
    # too: one mistake, one message.
    others = [(c, s) for c, s in check.creators if s.locate(("handle",)) not in {d.location for d in handles}]
    yield from _unique_per_creator(others, "slug", lambda c: c.slug)
    yield from _unique_per_creator(others, "discount_code", lambda c: _discount_code(check, c), "discount code")


def _unique_per_creator(creators: list[tuple[Creator, Sourced]], key: str,
                        value_of: Callable[[Creator], str | None], label: str = "") -> Iterator[Diagnostic]:
    first: dict[str, Location] = {}
    for creator, source in creators:
        written = value_of(creator)
        if written is None or placeholders.names_in(written):
            continue  # unfilled placeholders are reported on their own
        value = written.casefold()
        location = source.locate((key,))
        if value in first:
            earlier = first[value]
            yield error(location, f"{label or key} `{written}` is also used in "
                        f"{earlier.file} (line {earlier.line})",
                        f"each creator needs their own {label or key}", "duplicate")
        first.setdefault(value, location)


def _discount_code(check: CampaignCheck, creator: Creator) -> str | None:
    pattern = discount_pattern(check.campaign, creator)
    if pattern is None:
        return None
    return placeholders.fill(pattern, placeholders.creator_values(check.campaign.id, creator))


# --- deliverables of each creator -----------------------------------------------


def creator_deliverables_exist(check: CampaignCheck) -> Iterator[Diagnostic]:
    """A creator's deliverables name campaign deliverables on the creator's platforms,
    each once; a creator left with none is a warning."""
    by_id = {d.id: d for d in check.campaign.deliverables}
    for creator, source in check.creators:
        seen: set[str] = set()
        for index, item in enumerate(creator.deliverables or []):
            deliverable_id = item if isinstance(item, str) else item.id
            location = source.locate(("deliverables", index))
            if deliverable_id not in by_id:
                close = difflib.get_close_matches(deliverable_id, list(by_id), n=1)
                yield error(location, f"the campaign has no deliverable `{deliverable_id}`",
                            f"did you mean `{close[0]}`?" if close else
                            f"campaign deliverables: {', '.join(by_id)}", "deliverable")
            elif by_id[deliverable_id].platform not in creator.platforms:
                platform = by_id[deliverable_id].platform
                yield error(location, f"`{deliverable_id}` is on {platform}, which "
                            f"{shown_handle(creator.handle)} does not have",
                            f"add {platform} under `platforms:` or remove `{deliverable_id}`", "deliverable")
            if deliverable_id in seen:
                yield error(location, f"`{deliverable_id}` is listed twice",
                            "list each deliverable once; use `count:` for more pieces", "duplicate")
            seen.add(deliverable_id)
        if not creator_deliverables(check.campaign, creator):
            yield warning(source.locate(()), f"{shown_handle(creator.handle)} has no deliverables on their "
                          "platforms", "add a deliverable for one of their platforms", "deliverable")


# --- placeholders ----------------------------------------------------------------


def placeholders_known(check: CampaignCheck) -> Iterator[Diagnostic]:
    """Every `{placeholder}` is one briefkit knows, where it may stand."""
    yield from _placeholder_problems(check.source.campaign, _campaign_scope)
    for _, source in check.creators:
        yield from _placeholder_problems(source, _creator_scope)


def _placeholder_problems(source: Sourced, scope_of: Callable[[KeyPath], frozenset[str]]) -> Iterator[Diagnostic]:
    for path, text in _strings(source.data, ()):
        allowed = scope_of(path)
        for name in placeholders.names_in(text):
            if name in allowed:
                continue
            if name in placeholders.ALL:
                yield error(source.locate(path), f"`{{{name}}}` cannot be used here",
                            f"placeholders allowed here: {_braced(allowed)}", "placeholder")
            else:
                close = difflib.get_close_matches(name, list(placeholders.ALL), n=1)
                yield error(source.locate(path), f"unknown placeholder `{{{name}}}`",
                            f"did you mean `{{{close[0]}}}`?" if close else
                            f"known placeholders: {_braced(placeholders.ALL)}", "placeholder")


def _strings(data: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key != "internal":
                yield from _strings(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, path + (index,))


def _campaign_scope(path: KeyPath) -> frozenset[str]:
    if path[:2] == ("tracking", "discount_code"):
        return placeholders.CREATOR_SCOPE
    if path[:2] in (("tracking", "utm"), ("tracking", "landing_page")):
        return placeholders.TRACKING_SCOPE
    if path[:1] == ("deliverables",):
        return placeholders.DELIVERABLE_SCOPE
    return placeholders.TEXT_SCOPE


def _creator_scope(path: KeyPath) -> frozenset[str]:
    return placeholders.CREATOR_SCOPE if path[:1] == ("discount_code",) else placeholders.TEXT_SCOPE


def _braced(names: frozenset[str]) -> str:
    return ", ".join(f"{{{n}}}" for n in sorted(names))


# --- tiers ---------------------------------------------------------------------


def tiers(check: CampaignCheck) -> Iterator[Diagnostic]:
    """A declared tier agrees with the followers (else a warning)."""
    for creator, source in check.creators:
        computed = creator_tier(creator)
        if creator.tier and creator.tier != computed:
            followers = max(a.followers for a in creator.platforms.values())
            yield warning(source.locate(("tier",)), f"declared tier `{creator.tier}` disagrees "
                          f"with {followers:,} followers, which is `{computed}`",
                          "remove `tier:`; briefkit computes it", "tier")


# --- disclosure ------------------------------------------------------------------


def disclosure_fits(check: CampaignCheck) -> Iterator[Diagnostic]:
    """The campaign's own label, as each creator reads it (one per language), is accepted in
    every creator's regions; each example caption passes each creator's rules (else a warning)."""
    # by the label a creator reads and region: the region's rules, who is there, their languages
    refused: dict[str, dict[str, tuple[disclosure.Jurisdiction, list[str], set[str]]]] = {}
    # What a caption lacks depends on it, the creator's language and regions (which give the
    # rules that apply): thousands of creators share a few of these, and each is linted once.
    findings: dict[tuple, list[disclosure.Finding]] = {}
    for creator, _ in check.creators:
        campaign = check.read_by(creator)  # in the creator's language
        label = campaign.disclosure.label
        applying = disclosure.creator_jurisdictions(campaign, creator)
        for jurisdiction in disclosure.refusing(label, applying) if label else []:
            why = "publishes from" if jurisdiction.region == creator.region else "has an audience in"
            _, who, languages = refused.setdefault(label, {}).setdefault(jurisdiction.region, (jurisdiction, [], set()))
            who.append(f"{shown_handle(creator.handle)} {why} {jurisdiction.region}")
            languages.add(locale_language(locale_of(check.campaign, creator)))
        values = placeholders.text_values(campaign.id, creator, disclosure.creator_label(campaign, applying))
        for index, caption in enumerate(campaign.creative.example_captions):
            filled = placeholders.fill(caption, values)
            key = (filled, locale_of(check.campaign, creator), creator.region, tuple(creator.audience_regions))
            if key not in findings:
                findings[key] = disclosure.lint_for_creator(filled, campaign, applying)
            for finding in findings[key]:
                yield warning(check.where(("creative", "example_captions", index)),
                              f"for {shown_handle(creator.handle)}, this example fails: {finding.message}",
                              finding.hint, "caption")
    written = check.campaign.disclosure.label
    for label, regions in refused.items():  # one mistake, one message, with every region and creator
        where = "; ".join(f"{j.region} ({j.name}): {listed(who)}" for j, who, _ in regions.values())
        accepted = "; ".join(f"in {j.region}: {', '.join(j.accepted)}" for j, _, _ in regions.values())
        if isinstance(written, dict):  # one variant per language: say which, and which languages lack theirs
            tag = next(tag for tag, text in written.items() if text == label)
            missing = sorted({lang for _, _, languages in regions.values() for lang in languages}
                             - {locale_language(t) for t in written})
            add = "; or add " + ", ".join(f"`{lang}: …`" for lang in missing) + " for creators who read another language" if missing else ""
            yield error(check.where(("disclosure", "label", tag)),
                        f"`{label}` is not a disclosure label accepted in {where}",
                        f"accepted {accepted}{add}", "disclosure")
        else:
            yield error(check.where(("disclosure", "label")), f"`{label}` is not a disclosure label accepted in {where}",
                        f"accepted {accepted}; or give one label per language (`label: {{es: …, pl: …}}`), "
                        "or remove `label:` and briefkit gives each creator the right one", "disclosure")


# --- languages -------------------------------------------------------------------


def texts_hold_the_campaigns_language(check: CampaignCheck) -> Iterator[Diagnostic]:
    """A text in several languages has the campaign's language: what a creator whose
    own language is missing reads."""
    campaign_locale = check.campaign.locale
    sources = [(check.campaign, check.source.campaign)] + [(c, s) for c, s in check.creators]
    for model, source in sources:
        for path, texts in texts_in_languages(model):
            if variant_for(texts, campaign_locale, campaign_locale) is None:
                yield error(source.locate(path), f"this text has no `{locale_language(campaign_locale)}` variant, "
                            f"and {_language_name(campaign_locale)} is the campaign's language",
                            f"add `{locale_language(campaign_locale)}: …`: creators whose language is missing "
                            "read that one", "language")


def texts_in_each_creators_language(check: CampaignCheck) -> Iterator[Diagnostic]:
    """One warning per campaign and language that some texts lack, counting the texts and
    naming the creators who read them in the campaign's language instead."""
    campaign_texts = list(texts_in_languages(check.campaign))
    missing: dict[str, tuple[Location, set[tuple], list[str]]] = {}  # by language
    for creator, source in check.creators:
        locale = locale_of(check.campaign, creator)
        texts = [(check.where(p), ("campaign", *p), t) for p, t in campaign_texts]
        texts += [(source.locate(p), (source.locate(()).file, *p), t) for p, t in texts_in_languages(creator)]
        lacking = [(where, key) for where, key, t in texts if variant_for(t, locale, locale) is None]
        if lacking:
            language = locale_language(locale)
            first, keys, who = missing.setdefault(language, (lacking[0][0], set(), []))
            keys.update(key for _, key in lacking)
            who.append(shown_handle(creator.handle))
    for language, (first, keys, who) in missing.items():
        count = len(keys)
        yield warning(first, f"{count} text{'s' * (count != 1)} of the campaign {'have' if count != 1 else 'has'} "
                      f"no {_language_name(language)} (`{language}`) variant, so {listed(who)} "
                      f"read{'s' * (len(who) == 1)} {'them' if count != 1 else 'it'} in "
                      f"{_language_name(check.campaign.locale)}",
                      f"add `{language}: …` to each, or leave it so", "language")


def locales_have_labels(check: CampaignCheck) -> Iterator[Diagnostic]:
    """A locale without labels in the theme (or unknown to Babel) makes an English brief:
    a warning at each place that sets it."""
    campaign_uses_it = any(c.locale is None for c, _ in check.creators)
    written = [(check.campaign.locale, check.source.campaign)] if campaign_uses_it else []
    written += [(locale_of(check.campaign, c), s) for c, s in check.creators if c.locale is not None]
    for locale, source in written:
        page = check.theme.page_locale(locale)
        if page != locale:
            yield warning(source.locate(("locale",)),
                          f"briefkit has no labels in {_language_name(locale)}, so briefs for "
                          f"`{locale}` are written in English (with `{page}` dates and numbers)",
                          f"choose one of {', '.join(sorted(check.theme.languages))}, or add "
                          f"themes/<your theme>/labels/{locale_language(locale)}.yaml "
                          "with the keys of the default theme's labels/en.yaml", "locale")


def _language_name(locale: str) -> str:
    from babel import Locale, UnknownLocaleError

    language = locale_language(locale)
    try:
        return Locale.parse(language).english_name or f"`{language}`"
    except (UnknownLocaleError, ValueError):
        return f"`{language}`"


# --- Markdown -----------------------------------------------------------------------


def markdown_images(check: CampaignCheck) -> Iterator[Diagnostic]:
    """An image in a Markdown text is left out of the brief (markup.py): say so, at the
    text, rather than let it vanish."""
    fields: list[tuple[Sourced, KeyPath]] = [(check.source.campaign, ("overview",)),
                                             (check.source.campaign, ("creative", "freedom")),
                                             (check.source.campaign, ("disclosure", "notes"))]
    fields += [(check.source.campaign, ("deliverables", i, "notes")) for i in range(len(check.campaign.deliverables))]
    for creator, source in check.creators:
        fields.append((source, ("why_you",)))
        fields += [(source, ("deliverables", i, "notes")) for i in range(len(creator.deliverables or []))]
    for source, path in fields:
        value = value_at(source.data, path)
        texts = value.items() if isinstance(value, dict) else [(None, value)]
        for language, text in texts:
            if isinstance(text, str) and shows_an_image(text):
                at = path + ((language,) if language else ())
                yield warning(source.locate(at), "briefs show no images from Markdown: this one is left out",
                              "add the image file under `assets:`, where creators can download it, and "
                              "name it in the text", "markdown")


# --- answers ------------------------------------------------------------------------


def responses(check: CampaignCheck) -> Iterator[Diagnostic]:
    """A creator's `response:` (docs/answers.md): its revision is one git knows, and its
    day neither lies ahead nor comes before the brief it answered was committed."""
    from .revisions import Repository, RevisionError

    answered = [(c, s) for c, s in check.creators if c.response is not None]
    repository = Repository.of(check.root) if any(c.response.revision for c, _ in answered) else None
    found: dict[str, Any] = {}  # revision → its commit time, or the reason git gave
    for creator, source in answered:
        response = creator.response
        who = shown_handle(creator.handle)
        if response.on > now().date():
            yield warning(source.locate(("response", "on")), f"{who} answered on {response.on}, a day still ahead",
                          "write the day they answered", "response")
        if response.revision is None:
            continue
        where = source.locate(("response", "revision"))
        if repository is None:
            yield error(where, f"{who}'s answer names the git revision {response.revision!r}, and the workspace "
                        "is not in a git repository", "leave `revision` out: briefkit then compares the brief's "
                        "`version`", "revision")
            continue
        if response.revision not in found:
            try:
                found[response.revision] = repository.committed(repository.revision(response.revision).commit)
            except RevisionError as unknown:
                found[response.revision] = str(unknown)
        known = found[response.revision]
        if isinstance(known, str):
            yield error(where, f"{who}'s answer names the revision {response.revision!r}, which git does not "
                        "know", "write a commit of this repository (`git log --oneline` lists them), as "
                        "`briefkit respond` does", "revision")
        elif response.on < known.date():
            yield warning(source.locate(("response", "on")),
                          f"{who} answered on {response.on}, before the brief they answered was committed "
                          f"({known.date()})", "check the day, and the revision they answered", "response")


RULES: tuple[Rule, ...] = (texts_hold_the_campaigns_language, texts_in_each_creators_language,
                           dates, reply_ahead, offers, budget, amounts_fit_their_currency, unique, creator_deliverables_exist, placeholders_known,
                           tiers, disclosure_fits, locales_have_labels, markdown_images, responses)


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _day(value: dt.date | dt.datetime) -> str:
    return value.isoformat(timespec="minutes") if isinstance(value, dt.datetime) else value.isoformat()
