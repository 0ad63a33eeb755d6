"""The participant search box, answered from indexes instead of by reading every participant.

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
"""
import operator
from functools import reduce

from playhouse.sqlite_ext import FTS5Model, RowIDField, SearchField

from registry.beneficiaries.models import Beneficiary
from registry.beneficiaries.names import khmer_key, latin_key
from registry.db import database, is_postgres

TRIGRAM = 3  # the shortest text a trigram index can look up


class NameIndex(FTS5Model):
    """SQLite's FTS5 trigram index of beneficiary.latin_key and khmer_key (made by migration 0012)."""

    rowid = RowIDField()  # the beneficiary's id
    latin_key = SearchField()
    khmer_key = SearchField()

    class Meta:
        database = database
        table_name = "beneficiary_fts"


def search_condition(exact, text):
    """A condition on Beneficiary: one of the exact conditions holds, or every name word of text is in the name.

    :param exact: conditions that an ordinary index serves (code, phone, ID number), at least one.
    """
    words = _words(text)
    if is_postgres():
        return reduce(operator.or_, exact + ([_words_condition(words)] if words else []))
    branches = [Beneficiary.select(Beneficiary.id).where(condition) for condition in exact]
    if words:
        branches.append(_names_sqlite(words))
    return Beneficiary.id.in_(reduce(operator.add, branches))  # + is UNION ALL


def newest_first(query, text):
    """The query, newest first, ordered so that a search by several name words stays fast on both databases."""
    words = _words(text)
    if is_postgres() and len(words) > 1 and any(_indexable(parts) for parts in words):
        # PostgreSQL guesses how many people have several words in their name by multiplying the
        # words' frequencies, but names are not independent: "Srey Sophal" is guessed at 383 people
        # and fits 35. Guessing more than a page, it walks the ids backwards testing every participant,
        # and reads all of them when fewer than a page match (100 ms at 100,000). id + 0 hides the id
        # index from the ORDER BY: the trigram indexes find the matches, which are then sorted (a few
        # ms). A single word's guess comes from its own statistics and holds, and for a common word
        # ("Sok", 16,500 people) the walk is the fast plan (0.5 ms against 30 ms sorted).
        return query.order_by((Beneficiary.id + 0).desc())
    return query.order_by(Beneficiary.id.desc())


def _words(text):
    """Each word of text as [(field, folded text)] (see _word_texts), words with nothing left out."""
    return [parts for parts in map(_word_texts, text.split()) if parts]


def _words_condition(words):
    """Every word is in one of the keys, by ILIKE: the trigram indexes serve the long ones."""
    return reduce(operator.and_, [_contains_any(parts) for parts in words])


def _names_sqlite(words):
    """The ids of the participants with every word in their name, from the FTS5 table where it can tell."""
    indexed = [parts for parts in words if _indexable(parts)]
    short = [parts for parts in words if not _indexable(parts)]
    found = NameIndex.select(NameIndex.rowid).where(NameIndex.match(_fts_query(indexed))) if indexed else None
    if not short:
        return found
    conditions = ([Beneficiary.id.in_(found)] if found is not None else []) + [_contains_any(p) for p in short]
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


def _fts_query(words):
    """The FTS5 query: each word a phrase in its column, (latin_key : "sok" OR khmer_key : "Sok") AND ..."""
    return " AND ".join("(" + " OR ".join(f'{field.column_name} : {_phrase(folded)}' for field, folded in parts) + ")"
                        for parts in words)


def _phrase(text):
    """An FTS5 string: the text in double quotes, its own double quotes doubled; nothing in it is syntax."""
    return '"' + text.replace('"', '""') + '"'
