"""Search across the published protocols: PostgreSQL's Swedish full-text search and trigram index.

The index (`minutes.models.search.SearchEntry`) holds only public text, and every search is
restricted again to announced meetings. The visitor's words never reach `to_tsquery` as typed:
`parse_query` keeps word characters only and each term's tsquery is built here, so no input
(quotes, operators, `&|!:*()'`, 10,000 characters) can make the database refuse a query.

A word matches a § when PostgreSQL's Swedish full-text search finds it (stemmed), or when its
stem occurs anywhere in the § text: that finds its inflected forms, the words it begins and the
compounds it is part of ("fiskeförbud" finds "fiskeförbudet", "nämnd" finds "Stadsdelsnämnden").
Every word must match; `a OR b` lets either do, `-a` leaves out what matches a, `"a b"` is a
phrase. The best come first: the weighted rank (title, decision, the rest, names) plus a bonus
for each word in the title.
"""

import bisect
import datetime
import math
import re
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.lookups import Exact
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from committee.models import Committee, Party
from minutes.models.search import CONFIG, SearchEntry, fold
from minutes.portal.agenda import coming_items_matching
from minutes.portal.published import published_meetings
from minutes.protocol.adjusted import protocol_styles
from minutes.protocol.phrases import dnr_label, paragraph_label
from minutes.protocol.snapshot import HouseStyle

MAX_QUERY_CHARS = 200  # the rest of a longer query is left out, and the page says so
MAX_TERMS = 8
MAX_WORD_CHARS = 60
PER_PAGE = 20
SNIPPET_WORDS = 32
SNIPPET_LEAD = 8  # words shown before the first hit of a snippet
SUBSTRING_MIN = 3  # the trigram index needs three characters; fewer would match nearly every §

TITLE_BONUS = 0.5  # per term found in the title as a substring: the title outweighs any body text

WORD = re.compile(r"[^\W_]+")
CHUNK = re.compile(r'(?P<sign>[-+]?)(?:"(?P<phrase>[^"]*)"?|(?P<bare>[^\s"]+))')
EDGES = re.compile(r"^[\W_]+|[\W_]+$")
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")

# Endings stripped from a query word to find and mark its other forms ("nämnden" finds "nämnd" and
# "nämnder"), a crude Swedish stemmer that keeps at least four letters. PostgreSQL's stemmer does
# better where it applies, but it keeps "-et" ("fiskeförbudet") and cannot find compounds.
ENDINGS = ["arnas", "ernas", "ornas", "arens", "heten", "arna", "erna", "orna", "ande", "ende", "erns"]
ENDINGS += ["ens", "ets", "het", "ar", "er", "or", "en", "et", "na", "ns", "s", "a", "e"]  # longest first


# The query


@dataclass(frozen=True)
class Term:
    """One word or phrase of a query, folded: `words` for the full-text search, `literal` for substrings."""

    literal: str
    words: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    @property
    def stem(self) -> str:
        """The word without a common Swedish ending ("fiskeförbudet" → "fiskeförbud"); a phrase as it is."""
        return self.literal if self.is_phrase else _stem(self.words[0])

    @property
    def is_short(self) -> bool:
        """Too short to look for inside words ("å", "kd"): such a term matches whole words only."""
        return len(self.stem) < SUBSTRING_MIN


@dataclass(frozen=True)
class Query:
    """Every group must match, by any one of its terms; no excluded term may match."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    shortened: bool = False  # the query was longer than what is searched

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def terms(self) -> tuple[Term, ...]:
        return tuple(term for group in self.groups for term in group)


def _term(text: str) -> Term | None:
    literal = EDGES.sub("", fold(text))[: MAX_WORD_CHARS * 2]
    words = tuple(word[:MAX_WORD_CHARS] for word in WORD.findall(literal))
    return Term(literal, words) if words else None


def parse_query(text: str) -> Query:
    """The visitor's query as terms; never fails, whatever the text."""
    text = UNPRINTABLE.sub(" ", text or "")
    shortened = len(text) > MAX_QUERY_CHARS
    tokens: list[tuple[str, Term | None]] = []
    for match in CHUNK.finditer(text[:MAX_QUERY_CHARS]):
        bare = match["bare"]
        if bare == "OR" and not match["sign"]:
            tokens.append(("or", None))
            continue
        term = _term(match["phrase"] if match["phrase"] is not None else bare or "")
        if term is not None:
            tokens.append(("exclude" if match["sign"] == "-" else "term", term))

    groups: list[list[Term]] = []
    excluded: list[Term] = []
    joining = False
    for kind, term in tokens:
        if kind == "or":
            joining = bool(groups)
        elif kind == "exclude":
            excluded.append(term)
            joining = False
        elif joining:
            groups[-1].append(term)
            joining = False
        else:
            groups.append([term])
    count = 0
    kept: list[tuple[Term, ...]] = []
    for group in groups:
        room = MAX_TERMS - count
        if room <= 0:
            shortened = True
            break
        shortened = shortened or len(group) > room
        kept.append(tuple(group[:room]))
        count += len(kept[-1])
    return Query(tuple(kept), tuple(excluded[:MAX_TERMS]), shortened or len(excluded) > MAX_TERMS)


# Highlighting


def _stem(word: str) -> str:
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


class Highlighter:
    """Marks the words of a text that hold a query term, and picks the stretch of text with most of them.

    Output is HTML: the text is escaped piece by piece and only the <mark> tags are ours.
    """

    def __init__(self, query: Query) -> None:
        patterns = set()
        for term in query.terms:
            if term.is_phrase:
                patterns.add(r"[\W_]+".join(re.escape(word) for word in term.words))
            elif term.is_short:
                if len(term.words[0]) > 1:  # a single letter would mark half the text
                    patterns.add(rf"(?<!\w){re.escape(term.words[0])}(?!\w)")
            else:
                patterns |= {re.escape(term.words[0]), re.escape(term.stem)}
        ordered = sorted(patterns, key=len, reverse=True)
        self.pattern = re.compile("|".join(ordered), re.IGNORECASE) if ordered else None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the marked words are: each hit widened to the whole word it is in, overlaps merged."""
        if self.pattern is None:
            return []
        found: list[tuple[int, int]] = []
        for match in self.pattern.finditer(text):
            start, end = match.span()
            while start > 0 and text[start - 1].isalnum():
                start -= 1
            while end < len(text) and text[end].isalnum():
                end += 1
            if found and start <= found[-1][1]:
                found[-1] = (found[-1][0], max(end, found[-1][1]))
            else:
                found.append((start, end))
        return found

    def mark(self, text: str) -> SafeString:
        return self._marked(text, self.spans(text), 0, len(text))

    def snippet(self, text: str) -> SafeString:
        """About SNIPPET_WORDS words of the text around its densest hits, or its beginning."""
        text = " ".join(text.split())
        words = [match.span() for match in re.finditer(r"\S+", text)]
        if not words:
            return mark_safe("")
        spans = self.spans(text)
        starts = [word_start for word_start, _end in words]
        hits = [bisect.bisect_right(starts, start) - 1 for start, _end in spans]
        first = 0
        if hits:
            candidates = sorted({max(0, hit - SNIPPET_LEAD) for hit in hits})
            first = max(candidates, key=lambda c: (sum(c <= h < c + SNIPPET_WORDS for h in hits), -c))
        last = min(first + SNIPPET_WORDS, len(words)) - 1
        html = self._marked(text, spans, words[first][0], words[last][1])
        before = "… " if first > 0 else ""
        after = " …" if last < len(words) - 1 else ""
        return mark_safe(f"{before}{html}{after}")

    @staticmethod
    def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> SafeString:
        pieces, at = [], start
        for span_start, span_end in spans:
            span_start, span_end = max(span_start, start), min(span_end, end)
            if span_start >= span_end:
                continue
            pieces += [escape(text[at:span_start]), "<mark>", escape(text[span_start:span_end]), "</mark>"]
            at = span_end
        pieces.append(escape(text[at:end]))
        return mark_safe("".join(pieces))


# The search


@dataclass(frozen=True)
class Filters:
    committee: str = ""  # slug
    year: int | None = None
    party: str = ""  # abbreviation
    person: str = ""  # words of a name
    dnr: str = ""
    has_vote: bool = False
    has_reservation: bool = False

    def __bool__(self) -> bool:
        return any((self.committee, self.year, self.party, self.person, self.dnr, self.has_vote, self.has_reservation))


@dataclass(frozen=True)
class Hit:
    url: str
    committee: str
    date: datetime.date
    meeting_number: int
    year: int
    number: int
    title: SafeString
    snippet: SafeString
    dnr: str
    has_vote: bool
    has_reservation: bool
    label: str = ""  # "§ 17", as the § is numbered in its protocol
    dnr_label: str = ""  # "Dnr 3.1-1/2016", likewise


@dataclass(frozen=True)
class Results:
    hits: tuple[Hit, ...]
    total: int
    page: int
    pages: int
    page_links: tuple[int | None, ...]  # the page numbers to link, None where some are left out

    @property
    def previous(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


NO_RESULTS = Results((), 0, 1, 1, ())


def _filtered(filters: Filters) -> QuerySet[SearchEntry]:
    entries = SearchEntry.objects.filter(meeting__in=published_meetings())
    if filters.committee:
        entries = entries.filter(committee__slug=filters.committee)
    if filters.year is not None:
        entries = entries.filter(year=filters.year)
    if filters.party:
        entries = entries.filter(parties__abbreviation__iexact=filters.party)
    dnr = UNPRINTABLE.sub("", filters.dnr).strip()
    if dnr:
        entries = entries.filter(dnr__icontains=dnr)
    if filters.has_vote:
        entries = entries.filter(has_vote=True)
    if filters.has_reservation:
        entries = entries.filter(has_reservation=True)
    names = WORD.findall(filters.person)[:4]
    if names:
        named = reduce(and_, (Q(person__first_name__icontains=w) | Q(person__last_name__icontains=w) for w in names))
        links = SearchEntry.people.through.objects.filter(named, searchentry=OuterRef("pk"))
        entries = entries.filter(Exists(links))
    return entries


def _tsquery(term: Term, *, prefix: bool = False) -> SearchQuery:
    """The term's tsquery, built from its word characters only: the word, or its prefixes, or a phrase."""
    if term.is_phrase:
        return SearchQuery(term.literal, search_type="phrase", config=CONFIG)
    word = term.words[0]
    if not prefix:
        return SearchQuery(f"'{word}'", search_type="raw", config=CONFIG)
    # The word itself ranks above the longer words that start with its stem (a prefix of the word:
    # PostgreSQL's Swedish stemmer keeps "-et", so "fiskeförbudet" asks for "fiskeförbud":*).
    return SearchQuery(f"'{word}' | '{term.stem}':*", search_type="raw", config=CONFIG)


def _matches(term: Term) -> Q:
    """The word by Swedish stemming, or its stem (a phrase: itself) anywhere in the text.

    Every prefix of a word, compound part or inflected form the stemmer would find contains
    the stem, so the substring does that work; the full-text part adds the forms the stemmer
    knows whose spelling differs. Both halves have an index (GIN on the tsvector, trigram GIN
    on the folded text) that PostgreSQL combines; a prefix tsquery here would make it scan.
    A short term is a whole word, found by the full-text search alone.
    """
    substring = Q(folded_text__contains=term.stem)
    if term.is_short:
        # A stop word ("i", "på") leaves the tsquery empty: it is ignored rather than never found.
        return Q(vector=_tsquery(term)) | Q(Exact(NumNode(_tsquery(term)), 0))
    return Q(vector=_tsquery(term)) | substring


class NumNode(Func):
    function = "numnode"
    output_field = IntegerField()


def _ranked(entries: QuerySet[SearchEntry], query: Query) -> QuerySet[SearchEntry]:
    """Best first: the weighted full-text rank plus a bonus per term (or its stem) in the title; ties newest first."""
    terms = query.terms
    score = SearchRank(F("vector"), reduce(or_, (_tsquery(term, prefix=True) for term in terms)))
    for term in terms:
        if not term.is_short:
            in_title = When(folded_title__contains=term.stem, then=Value(TITLE_BONUS))
            score = score + Case(in_title, default=Value(0.0), output_field=FloatField())
    return entries.annotate(score=score).order_by("-score", "-date", "-meeting_number", "number")


SHOWN = ("committee__slug", "committee__name", "date", "year", "meeting_number", "number", "title")
SHOWN += ("decision", "body", "dnr", "has_vote", "has_reservation", "meeting")


def search(query: Query | str, filters: Filters = Filters(), page: int | str = 1) -> Results:
    """One page of the §§ that match, best first (newest first when there are filters but no words).

    Three queries, the count, the page and the house styles of its protocols; one when nothing
    matches. A page number past the last page shows the last page. Nothing is searched without words or a filter.
    """
    if isinstance(query, str):
        query = parse_query(query)
    if not query and not filters:
        return NO_RESULTS
    entries = _filtered(filters)
    for group in query.groups:
        entries = entries.filter(reduce(or_, (_matches(term) for term in group)))
    for term in query.excluded:
        entries = entries.exclude(_matches(term))
    total = entries.count()
    pages = max(1, math.ceil(total / PER_PAGE))
    number = min(_page_number(page), pages)
    hits: tuple[Hit, ...] = ()
    if total:
        ordered = _ranked(entries, query) if query else entries.order_by("-date", "-meeting_number", "number")
        offset = (number - 1) * PER_PAGE
        shown = list(ordered.select_related("committee").only(*SHOWN)[offset : offset + PER_PAGE])
        highlighter = Highlighter(query)
        styles = protocol_styles(entry.meeting_id for entry in shown)
        hits = tuple(_hit(entry, highlighter, styles[entry.meeting_id]) for entry in shown)
    return Results(hits, total, number, pages, _page_links(number, pages))


def _page_number(page: int | str) -> int:
    try:
        return max(1, int(page))
    except (TypeError, ValueError):
        return 1


def _page_links(page: int, pages: int, around: int = 2) -> tuple[int | None, ...]:
    """The first and last page and those around this one, with None where pages are left out."""
    numbers = sorted({1, pages, *range(page - around, page + around + 1)} & set(range(1, pages + 1)))
    links: list[int | None] = []
    for previous, number in zip([0, *numbers], numbers, strict=False):
        if number - previous > 1:
            links.append(None)
        links.append(number)
    return tuple(links)


def _hit(entry: SearchEntry, highlighter: Highlighter, style: HouseStyle) -> Hit:
    return Hit(
        url=reverse("portal:item", args=[entry.committee.slug, entry.year, entry.meeting_number, entry.number]),
        committee=entry.committee.name,
        date=entry.date,
        meeting_number=entry.meeting_number,
        year=entry.year,
        number=entry.number,
        title=highlighter.mark(entry.title),
        snippet=highlighter.snippet(f"{entry.decision} {entry.body}"),
        dnr=entry.dnr,
        has_vote=entry.has_vote,
        has_reservation=entry.has_reservation,
        label=paragraph_label(entry.number, style),
        dnr_label=dnr_label(entry.dnr, style) if entry.dnr else "",
    )


# The page


class SearchForm(forms.Form):
    """The query and the filters; a filter value that is not one of the choices is reported and left out."""

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        widget=forms.SearchInput,
        help_text=_(
            "All the words must occur; parts of words count too (nämnd finds Stadsdelsnämnden). "
            'Use "quotes" for a phrase, OR between two words for either, and -word to leave a word out.'
        ),
    )
    committee = forms.ChoiceField(label=_("Committee"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    party = forms.ChoiceField(label=_("Party"), required=False)
    person = forms.CharField(label=_("Person"), required=False, max_length=100)
    dnr = forms.CharField(label=_("Dnr"), required=False, max_length=60)
    vote = forms.BooleanField(label=_("Only §§ with a roll-call vote"), required=False)
    reservation = forms.BooleanField(label=_("Only §§ with a reservation"), required=False)

    def __init__(self, data, *, committees, years, parties) -> None:
        super().__init__(data, auto_id="search-%s")
        everything = [("", _("All"))]
        self.fields["committee"].choices = everything + [(c.slug, c.name) for c in committees]
        self.fields["year"].choices = everything + [(str(year), str(year)) for year in years]
        self.fields["party"].choices = everything + [(p.abbreviation, f"{p.name} ({p.abbreviation})") for p in parties]
        for name, field in self.fields.items():
            css = {"vote": "form-check-input", "reservation": "form-check-input"}.get(name, "form-control")
            if isinstance(field, forms.ChoiceField):
                css = "form-select"
            field.widget.attrs["class"] = css

    def filters(self) -> Filters:
        """The filters that were understood (call after is_valid())."""
        data = self.cleaned_data
        return Filters(
            committee=data.get("committee") or "",
            year=data.get("year"),
            party=data.get("party") or "",
            person=data.get("person") or "",
            dnr=data.get("dnr") or "",
            has_vote=bool(data.get("vote")),
            has_reservation=bool(data.get("reservation")),
        )


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    years = [day.year for day in published_meetings().dates("date", "year", order="DESC")]
    form = SearchForm(
        request.GET,
        committees=Committee.objects.order_by("name").only("slug", "name"),
        years=years,
        parties=Party.objects.order_by("name"),
    )
    form.is_valid()
    query = parse_query(form.cleaned_data.get("q") or "")
    filters = form.filters()
    results = search(query, filters, request.GET.get("page", 1)) if query or filters else None
    coming = coming_items_matching(query, filters) if results is not None else []
    return render(
        request,
        "portal/search.html",
        {
            "form": form,
            "query": query,
            "results": results,
            "coming": coming,
            "asked": "q" in request.GET,
            "max_chars": MAX_QUERY_CHARS,
            "max_terms": MAX_TERMS,
        },
    )
