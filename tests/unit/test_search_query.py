"""The search's query parser and highlighter: what any text becomes, without a database."""

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from minutes.portal.search import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    Filters,
    Highlighter,
    Query,
    Term,
    parse_query,
)

WORD_CHARACTERS = re.compile(r"^[^\W_]+$")


def groups(query: Query) -> list[list[str]]:
    return [[term.literal for term in group] for group in query.groups]


def test_parse_query_words_are_folded_terms():
    query = parse_query("Fiskeförbud  ÅRSTAVIKEN")
    assert groups(query) == [["fiskeförbud"], ["årstaviken"]]
    assert (query.excluded, query.shortened) == ((), False)


def test_parse_query_phrase_in_quotes_even_unterminated():
    assert groups(parse_query('"våldsbejakande  extremism" plan')) == [["våldsbejakande extremism"], ["plan"]]
    assert parse_query('"våldsbejakande  extremism" plan').terms[0].words == ("våldsbejakande", "extremism")
    assert groups(parse_query('budget "för förskolan')) == [["budget"], ["för förskolan"]]


def test_parse_query_or_joins_neighbours_and_is_ignored_at_the_ends():
    assert groups(parse_query("lekplatser OR badplatser park")) == [["lekplatser", "badplatser"], ["park"]]
    assert groups(parse_query("OR lekplatser OR")) == [["lekplatser"]]
    assert groups(parse_query("lekplatser or badplatser")) == [["lekplatser"], ["or"], ["badplatser"]]


def test_parse_query_minus_excludes():
    query = parse_query("upphandling -städtjänster - -")
    assert groups(query) == [["upphandling"]]
    assert [term.literal for term in query.excluded] == ["städtjänster"]


def test_parse_query_operators_and_punctuation_alone_are_no_query():
    for text in ["", "   ", "&|!:*()'", '"', "''", "- + OR", "<-> !! ::*", "\x00\x01"]:
        assert not parse_query(text), text


def test_parse_query_keeps_a_dnr_whole_for_substring_matching():
    (term,) = parse_query("(1.5.1-392/2016)").terms
    assert (term.literal, term.words, term.stem) == ("1.5.1-392/2016", ("1", "5", "1", "392", "2016"), "1.5.1-392/2016")


def test_parse_query_long_input_is_shortened():
    query = parse_query("ord " * 2500)
    assert len(query.terms) == MAX_TERMS
    assert query.shortened
    one_word = parse_query("x" * 10_000)
    assert one_word.shortened
    assert len(one_word.terms[0].literal) <= MAX_QUERY_CHARS


def test_term_stem_strips_a_swedish_ending_but_keeps_four_letters():
    stems = {word: Term(word, (word,)).stem for word in ["fiskeförbudet", "nämnden", "förskolorna", "huset", "park"]}
    assert stems == {
        "fiskeförbudet": "fiskeförbud",
        "nämnden": "nämnd",
        "förskolorna": "förskol",
        "huset": "huset",
        "park": "park",
    }
    assert [Term(w, (w,)).is_short for w in ["kd", "å", "park"]] == [True, True, False]


def test_filters_are_false_when_empty():
    assert not Filters()
    assert Filters(year=2020)
    assert Filters(has_vote=True)


@given(st.text(max_size=400))
def test_parse_query_never_fails_and_keeps_word_characters_only(text):
    query = parse_query(text)
    assert len(query.terms) <= MAX_TERMS
    for term in (*query.terms, *query.excluded):
        assert term.words
        assert all(WORD_CHARACTERS.match(word) for word in term.words)
        assert "\x00" not in term.literal


def test_mark_escapes_and_marks_whole_words():
    highlighter = Highlighter(parse_query("nämnd <script>"))
    assert str(highlighter.mark("Stadsdelsnämnden <script>alert('x')</script>")) == (
        "<mark>Stadsdelsnämnden</mark> &lt;<mark>script</mark>&gt;alert(&#x27;x&#x27;)&lt;/<mark>script</mark>&gt;"
    )


def test_mark_finds_the_stem_of_an_inflected_word_and_a_phrase_across_spaces():
    highlighter = Highlighter(parse_query('fiskeförbudet "våld i nära relationer"'))
    assert str(highlighter.mark("Fiskeförbud och våld i\nnära relationer")) == (
        "<mark>Fiskeförbud</mark> och <mark>våld i\nnära relationer</mark>"
    )


def test_mark_short_word_only_as_a_whole_word():
    assert str(Highlighter(parse_query("kd")).mark("KD och kdx")) == "<mark>KD</mark> och kdx"
    assert str(Highlighter(parse_query("i")).mark("i parken")) == "i parken"


def test_snippet_shows_the_densest_stretch_with_ellipses():
    text = " ".join(["början"] * 40 + ["fisk", "och", "fiskar"] + ["slut"] * 40)
    snippet = str(Highlighter(parse_query("fisk")).snippet(text))
    assert snippet.startswith("… början")
    assert snippet.endswith("slut …")
    assert snippet.count("<mark>") == 2
    assert len(snippet.replace("…", "").split()) == 32


def test_snippet_without_a_hit_is_the_beginning():
    text = "Stadsdelsnämnden godkänner förslaget. " * 20
    snippet = str(Highlighter(parse_query("fisk")).snippet(text))
    assert snippet.startswith("Stadsdelsnämnden godkänner")
    assert "<mark>" not in snippet
    assert str(Highlighter(Query()).snippet("")) == ""


@given(query=st.text(max_size=40), text=st.text(max_size=300))
def test_mark_is_the_text_escaped_with_marks_only(query, text):
    marked = str(Highlighter(parse_query(query)).mark(text))
    assert html.unescape(marked.replace("<mark>", "").replace("</mark>", "")) == text
    assert re.sub(r"</?mark>", "", marked).count("<") == 0
    assert marked.count("<mark>") == marked.count("</mark>")
