"""The participant search box, answered from indexes instead of by reading every participant, and forgiving typos.

A participant matches the search when an exact look-up finds them (code, phone, ID number: the
caller's conditions) or when every word of the search, folded as each name key folds it, is a
substring of their latin_key or of their khmer_key, in any order ("sok dara" finds Dara Sok).
A LIKE '%word%' reads every participant; each database has an index for it (migration 0012):

- SQLite: beneficiary_fts, an FTS5 table with the trigram tokenizer over the two keys, kept in
  step with beneficiary by triggers. All the words go to it in one MATCH, each word a phrase. The
  search is ``Beneficiary.id IN (exact look-ups UNION ALL the FTS5 rowids)``: SQLite reads that
  list in id order, so the newest-first page stops after its 50 rows even when a common name
  matches thousands. (Written as code = ? OR ... OR id IN (FTS5), SQLite fetches and sorts every
  match before the page, 30 ms for "Sok" at 100,000 participants instead of 2.)
- PostgreSQL: pg_trgm GIN indexes on the two keys serve ILIKE '%word%' itself, and its planner
  combines them with the exact look-ups in one bitmap (or walks the ids backwards when a name is
  common), so the search stays the plain OR of the conditions. Only the order of a search by
  several words is written so that the planner cannot walk the ids (see newest_first).

A trigram index needs three characters. A word folds to two texts, one per key ("Sok" to sok and
Sok, "សុខ" to សុខ and, for latin_key, its bare consonants សខ); a text shorter than three
characters is left out when the word's other text is long enough, so that the index answers the
whole word. That drops only the bare consonants of short Khmer words, which matched a Khmer name
typed into the Latin name boxes by its consonants alone (and so other names with the same ones).
A word whose texts are all short ("Ly") is matched with LIKE, on both databases: among the rows
the longer words found, or among all participants when every word is short.

Typos ("Sopheap" for Sophep, and the reverse; a Khmer name with a sign missing or wrong): a word of
FUZZY_MIN_LENGTH characters or more also matches a name token (a given or family name as the key
folds it) within one edit of it (two for a word of LONG_WORD characters or more), by Levenshtein
distance, the same measure on both databases (fuzzystrmatch's levenshtein_less_equal on PostgreSQL,
rapidfuzz in a function SQLite calls). The edit distance is only computed for the candidates the
same trigram indexes find: a token within k edits of a word of n distinct trigrams shares at least
n - 3k of them (an edit destroys at most three), so the candidates are the rows holding any group of
that many of the word's trigrams; groups are pairs from three trigrams on (single ones for a word of
four characters), as one common trigram would make a quarter of the registry candidates. So a typo
that leaves fewer than two trigrams of the word intact (one in the middle of a five-character word)
is not found; nor is a typo in a word of three characters, which has a single trigram. A search of
more than FUZZY_WORDS words is matched as typed.

The order (best_first): exact look-ups and names in which every word begins a token first, then the
names that hold every word, then the similar ones; newest first within each. A search in which nothing
similar can be found (every word shorter than FUZZY_MIN_LENGTH, no phone digits) stays newest first.
"""
import itertools
import operator
import re
from functools import lru_cache, reduce

from peewee import Case, Value, fn
from playhouse.sqlite_ext import FTS5Model, RowIDField, SearchField
from rapidfuzz.distance import Levenshtein

from registry.beneficiaries.models import Beneficiary
from registry.beneficiaries.names import khmer_key, latin_key
from registry.db import database, is_postgres

TRIGRAM = 3  # the shortest text a trigram index can look up
FUZZY_MIN_LENGTH = 4  # a shorter word has a single trigram, which finds only the names that hold it
LONG_WORD = 8  # from this length a word may be two edits away from the name
FUZZY_LONGEST = 30  # a longer "word" is no name: matched as typed
FUZZY_WORDS = 3
NEAR_FUNCTION = "name_near"  # near_tokens() as SQLite calls it
_KHMER = re.compile("[\u1780-\u17ff\u19e0-\u19ff]")


class NameIndex(FTS5Model):
    """SQLite's FTS5 trigram index of beneficiary.latin_key and khmer_key (made by migration 0012)."""

    rowid = RowIDField()  # the beneficiary's id
    latin_key = SearchField()
    khmer_key = SearchField()

    class Meta:
        database = database
        table_name = "beneficiary_fts"


class PhoneIndex(FTS5Model):
    """SQLite's FTS5 trigram index of beneficiary.phone_key (made by migration 0024_forgiving_search)."""

    rowid = RowIDField()
    phone_key = SearchField()

    class Meta:
        database = database
        table_name = "beneficiary_phone_fts"


def search_condition(exact, text, phone=""):
    """A condition on Beneficiary: an exact condition holds, the phone holds the digits, or the name fits every word.

    A word fits a name when it is inside it, or (see _fuzzy) within an edit or two of one of its tokens.
    :param exact: conditions that an ordinary index serves (code, phone, ID number), at least one.
    :param phone: digits that the phone must hold (phones.phone_part), or "".
    """
    words = _words(text)
    if is_postgres():
        extra = ([_phone_holds(phone)] if phone else []) + ([_fits_all(words)] if words else [])
        return reduce(operator.or_, exact + extra)
    branches = [Beneficiary.select(Beneficiary.id).where(condition) for condition in exact]
    if phone:
        branches.append(PhoneIndex.select(PhoneIndex.rowid).where(PhoneIndex.match(_phrase(phone))))
    if words:
        branches.append(_names_sqlite(words))
    return Beneficiary.id.in_(reduce(operator.add, branches))  # + is UNION ALL


def best_first(query, exact, text, phone=""):
    """The query ordered best match first (see the module's docstring), newest first within a rank."""
    words = _words(text)
    if not phone and not any(fuzzy for _, fuzzy in words):
        # Nothing similar can be found (every word shorter than FUZZY_MIN_LENGTH): newest first, which stops
        # after the page, where ranking a common short name ("Sok", 16,500 people at 100,000) costs 90 ms.
        return _newest_first(query, words)
    best = reduce(operator.or_, exact + ([reduce(operator.and_, [_begins_any(parts) for parts, _ in words])]
                                        if words else []))
    rank = Case(None, [(best, 0), (_holds(words, phone) if words else _phone_holds(phone), 1)], 2)
    # On PostgreSQL, id + 0 hides the id index (see _newest_first): the matches are ranked, never walked.
    newest = (Beneficiary.id + 0).desc() if is_postgres() else Beneficiary.id.desc()
    return query.order_by(rank, newest)


def _newest_first(query, words):
    """The query newest first, ordered so that a search by several name words stays fast on both databases."""
    if is_postgres() and len(words) > 1 and any(_indexable(parts) for parts, _ in words):
        # PostgreSQL guesses how many people have several words in their name by multiplying the words'
        # frequencies, but names are not independent ("Srey Sophal": guessed 383, fits 35). Guessing more
        # than a page, it walks the ids backwards testing every participant, and reads all of them when
        # fewer than a page match (100 ms at 100,000). id + 0 hides the id index from the ORDER BY: the
        # trigram indexes find the matches, which are then sorted. For one common word the walk is the
        # fast plan (0.5 ms against 30 ms sorted).
        return query.order_by((Beneficiary.id + 0).desc())
    return query.order_by(Beneficiary.id.desc())


def _holds(words, phone):
    """Every word is inside the name, or the phone holds the digits."""
    inside = reduce(operator.and_, [_contains_any(parts) for parts, _ in words])
    return inside | _phone_holds(phone) if phone else inside


def _words(text):
    """Each word of text as ([(field, folded text)], fuzzy), words with nothing left out (see _word_texts, _fuzzy)."""
    words = [(parts, word) for parts, word in ((_word_texts(word), word) for word in text.split()) if parts]
    many = len(words) > FUZZY_WORDS
    return [(parts, None if many else _fuzzy(word)) for parts, word in words]


def _fuzzy(word):
    """(field, folded word, edits) when the word may match a name token with typos, else None.

    A word with Khmer letters is compared with the Khmer key, any other with the Latin key.
    """
    field, fold = (Beneficiary.khmer_key, khmer_key) if _KHMER.search(word) else (Beneficiary.latin_key, latin_key)
    folded = fold(word, "")
    if not FUZZY_MIN_LENGTH <= len(folded) <= FUZZY_LONGEST or " " in folded or any(c.isdigit() for c in folded):
        return None
    return field, folded, 1 if len(folded) < LONG_WORD else 2


def _trigram_groups(folded, edits):
    """The groups of trigrams of which a token within `edits` of the word holds at least one whole group."""
    grams = sorted({folded[i:i + TRIGRAM] for i in range(len(folded) - TRIGRAM + 1)})
    # n - 3k is the bound; a pair is asked for from three trigrams on even where the bound is one, because
    # a single common trigram ("cha") makes candidates of a quarter of the registry, each compared in turn.
    need = 1 if len(grams) < 3 else 2
    return list(itertools.combinations(grams, max(need, min(2, len(grams) - TRIGRAM * edits))))


def _fits(parts, fuzzy, candidates_first=True):
    """The word is in one of the keys, or near a token of its key; the trigram indexes serve both on PostgreSQL.

    :param candidates_first: test near() only on the rows holding a group of the word's trigrams (the rows
        the index serves); False where the rows come from the index already (SQLite's FTS5 table).
    """
    inside = _contains_any(parts)
    if not fuzzy:
        return inside
    field, folded, edits = fuzzy
    if not candidates_first:
        return inside | _near(field, folded, edits)
    candidates = reduce(operator.or_, [reduce(operator.and_, [field.contains(gram) for gram in group])
                                       for group in _trigram_groups(folded, edits)])
    return inside | (candidates & _near(field, folded, edits))


def _near(field, folded, edits):
    """A token of the key (a given or family name) is within `edits` of the folded word."""
    if is_postgres():
        return reduce(operator.or_, [fn.levenshtein_less_equal(folded, fn.split_part(field, " ", token), edits)
                                     <= edits for token in (1, 2)])
    _register_near()
    return getattr(fn, NEAR_FUNCTION)(field, folded, edits) == 1


def _register_near():
    """Teach SQLite (this connection and the next) the name_near function, once."""
    if NEAR_FUNCTION not in database.obj._functions:
        database.obj.register_function(near_tokens, NEAR_FUNCTION, 3, deterministic=True)


@lru_cache(maxsize=65536)  # names repeat: the same key and word come back for many rows and many searches
def near_tokens(key, folded, edits):
    """1 when a token of the key (tokens apart by one space) is within `edits` Levenshtein edits of folded, else 0."""
    return int(any(Levenshtein.distance(folded, token, score_cutoff=edits) <= edits
                   for token in (key or "").split(" ")))


def _fits_all(words):
    """Every word fits the name (see _fits)."""
    return reduce(operator.and_, [_fits(parts, fuzzy) for parts, fuzzy in words])


def _names_sqlite(words):
    """The ids of the participants whose name fits every word, from the FTS5 table where it can tell."""
    indexed = [(parts, fuzzy) for parts, fuzzy in words if _indexable(parts)]
    short = [parts for parts, fuzzy in words if not _indexable(parts)]
    found = NameIndex.select(NameIndex.rowid).where(NameIndex.match(_fts_query(indexed))) if indexed else None
    # The index tells that a word is inside a name; a row it found through a trigram group still needs its check.
    checked = [_fits(parts, fuzzy, candidates_first=False) for parts, fuzzy in indexed if fuzzy]
    if not short and not checked:
        return found
    conditions = (([Beneficiary.id.in_(found)] if found is not None else []) + checked
                  + [_contains_any(parts) for parts in short])
    return Beneficiary.select(Beneficiary.id).where(reduce(operator.and_, conditions))


def _word_texts(word):
    """The word as each key folds it, [(field, text)]: only the long enough texts, when there are any."""
    texts = [(field, fold(word, "")) for field, fold in ((Beneficiary.latin_key, latin_key),
                                                         (Beneficiary.khmer_key, khmer_key))]
    texts = [(field, folded) for field, folded in texts if folded]
    return [(field, folded) for field, folded in texts if len(folded) >= TRIGRAM] or texts


def _indexable(parts):
    """Whether a trigram index can answer the word: every text of it is long enough."""
    return all(len(folded) >= TRIGRAM for _, folded in parts)


def _contains_any(parts):
    """The word is in one of the keys, by LIKE (ILIKE on PostgreSQL, where the trigram indexes serve it)."""
    return reduce(operator.or_, [field.contains(folded) for field, folded in parts])


def _begins_any(parts):
    """The word begins a token of one of the keys (tokens are apart by one space)."""
    return reduce(operator.or_, [Value(" ").concat(field).contains(" " + folded) for field, folded in parts])


def _phone_holds(digits):
    """The phone, as dialled at home, holds the digits (a trigram index serves it on PostgreSQL)."""
    return Beneficiary.phone_key.contains(digits)


def _fts_query(words):
    """The FTS5 query: each word a phrase in its column, or one of its trigram groups; the words joined by AND.

    (latin_key : "sopheap" OR khmer_key : "Sopheap" OR latin_key : ("eap" AND "hea") OR ...) AND ...
    """
    return " AND ".join("(" + " OR ".join(_fts_alternatives(parts, fuzzy)) + ")" for parts, fuzzy in words)


def _fts_alternatives(parts, fuzzy):
    """The FTS5 queries of which one finds every name the word fits (a superset, for the fuzzy groups)."""
    alternatives = [f"{field.column_name} : {_phrase(folded)}" for field, folded in parts]
    if fuzzy:
        field, folded, edits = fuzzy
        alternatives += [f"{field.column_name} : (" + " AND ".join(map(_phrase, group)) + ")"
                         for group in _trigram_groups(folded, edits)]
    return alternatives


def _phrase(text):
    """An FTS5 string: the text in double quotes, its own double quotes doubled; nothing in it is syntax."""
    return '"' + text.replace('"', '""') + '"'
