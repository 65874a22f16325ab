"""Author lists of one paper that differ in count, truncation, order or names.

Every list is compared with the most trusted one (arXiv, else Hugging Face, else
ArxivLens, else a digest). Sources that show no authors are ignored. Two names are the
same person when their keys are equal (NFKC, TeX accents as letters, accents folded,
case folded, punctuation dropped, "Doe, Jane" read as "Jane Doe"), when they hold the
same words in another order ("Yang Baoshan" / "Baoshan Yang"), when the surnames are
equal and the first given names agree up to an initial ("J. Doe" / "Jane Doe"), or when
the surnames are equal and the given names are the same letters split otherwise
("Ruo-Han Tsai" / "Ruohan Tsai" / "Ruo Han Tsai"). Each comparison is made on the plain
keys and again on the transliterated ones (:func:`reconcile.policy.name_key`), so
"Jürgen Müller" is "Juergen Mueller" as well as "Jurgen Muller". Such spellings are not a
discrepancy.

What is flagged, per list, against the trusted list of n names:

- names that are not in the trusted list: ``warning`` (``info`` when the trusted list is
  itself cut, so absence proves nothing);
- fewer names (a list cut short, as ArxivLens's 8 of ERNIE 5.0's 438): ``info``, saying
  whether they are the first k in the trusted order, the first k in another order
  (alphabetical, when they are sorted so), or some other selection;
- a complete list in another order: ``warning`` (author order carries credit), ``info`` from a
  source whose reader marks its order as not the paper's (``extra['authors_order_unknown']``);
- a stated total (``authors_total``) that disagrees with n: ``warning``. More names than
  n always leaves some that are not in the trusted list, and is told as such.

Each warning becomes ``info`` when the list may be another arXiv version's: the two
observations name different versions, or ``obs`` names none and was seen before arXiv's
record says its later version appeared (:func:`reconcile.checks.fields.version_note`, as
for titles and abstracts): authors are added, dropped and reordered between versions.

A name in another script than the whole trusted list ("张伟" beside Latin names) is not
compared: it is told as ``info``. "Doe J." (a surname, then an initial, without a comma) is
"Jane Doe", and a generational suffix is no part of the comparison ("Maria Garcia III" is
"Maria Garcia").

Fails to pair two spellings that both lack an umlaut ("Mueller" / "Muller"), and two
co-authors whose names agree up to an initial (the first one in the list takes both).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence

from reconcile.models import Discrepancy, Kind, Observation, Severity
from reconcile.policy import SUFFIXES, Key, name_key
from reconcile.text import latex_accents_to_unicode

from .base import CheckContext
from .fields import Finding, compare_field, label, version_note

#: Names listed in a detail before the rest are counted.
SHOW_NAMES = 3

def _initial_of(a: str, b: str) -> bool:
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _split_otherwise(a: Key, b: Key) -> bool:
    """The same surname (first or last in either key) with the same given-name letters
    split into other words: "Ruo-Han Tsai" / "Ruohan Tsai" / "Tsai Ruo Han".

    Why: a hyphen (or a space) inside a given name is a spelling, often dropped when a
    name is typed again (a user profile, a digest). Only the word breaks may differ, never
    a letter, so "Jan Li" and "Jun Li" stay apart; and no word is a lone letter, which is
    an initial (:func:`_initial_of` reads those), not a piece of a name. When it fails: two
    people whose given names differ only by a word break ("Li Na" and "Lina" of one
    surname) are paired."""
    if len(a) < 2 or len(b) < 2 or len(a) == len(b) or min(map(len, (*a, *b))) < 2:
        return False  # equal lengths: the word breaks are where they were, nothing to join
    return any(sa == sb and "".join(ga) == "".join(gb)
               for sa, ga in ((a[-1], a[:-1]), (a[0], a[1:]))
               for sb, gb in ((b[-1], b[:-1]), (b[0], b[1:])))


def same_person(a: Key, b: Key) -> bool:
    """Whether two name keys can be one person (see the module docstring)."""
    if a == b or (len(a) > 1 and sorted(a) == sorted(b)):
        return True
    if len(a) > 1 and len(b) > 1 and a[-1] == b[-1] and _initial_of(a[0], b[0]):
        return True
    if len(a) == 2 and len(b) > 1 and len(a[1]) == 1 and a[0] == b[-1] and b[0].startswith(a[1]):
        return True  # "Berg A." (surname, then its initial, without a comma) is "Anna Berg"
    if len(b) == 2 and len(a) > 1 and len(b[1]) == 1 and b[0] == a[-1] and a[0].startswith(b[1]):
        return True
    return _split_otherwise(a, b)


def _script(name: str) -> str | None:
    """"latin" when every letter of ``name`` is a Latin one, "other" when none is, None for
    a mix or no letter."""
    kinds = {unicodedata.name(c, "").startswith("LATIN") for c in name if c.isalpha()}
    return None if len(kinds) != 1 else ("latin" if kinds == {True} else "other")


def _keys(name: str) -> tuple[Key, Key]:
    """The plain and the transliterated key of a name (:func:`reconcile.policy.name_key`),
    without a generational suffix: "Maria Garcia III" is "Maria Garcia" in a list that
    leaves it out."""
    return _no_suffix(name_key(name)), _no_suffix(name_key(name, transliterated=True))


def _no_suffix(key: Key) -> Key:
    while len(key) > 2 and key[-1] in SUFFIXES:
        key = key[:-1]
    return key


class _Index:
    """The trusted names, findable by exact key, by sorted words and by surname, in their
    plain and their transliterated spelling."""

    def __init__(self, names: Sequence[str]) -> None:
        self.keys = [_keys(n) for n in names]
        self.by_key: dict[Key, list[int]] = defaultdict(list)
        self.by_word: dict[str, list[int]] = defaultdict(list)
        for i, keys in enumerate(self.keys):
            for key in dict.fromkeys(keys):  # one of them when the name has no such letter
                self.by_key[key].append(i)
                self.by_key[tuple(sorted(key))].append(i)
                if key:
                    self.by_word[key[-1]].append(i)
                    self.by_word[key[0]].append(i)  # surname-first spellings
        self.used: set[int] = set()

    def find(self, name: str) -> int | None:
        """The position of the trusted name that is this person, each position used once."""
        plain, spelt = _keys(name)
        if not plain:
            return None
        exact, loose = [], []
        for key in dict.fromkeys((plain, spelt)):
            exact += self.by_key.get(key, []) + self.by_key.get(tuple(sorted(key)), [])
            loose += self.by_word.get(key[-1], []) + self.by_word.get(key[0], [])
        for i in dict.fromkeys([*exact, *loose]):
            # Plain against plain, transliterated against transliterated: a mixed pair would
            # let "Mueller" meet "Muller", which neither spelling says.
            if i not in self.used and (same_person(plain, self.keys[i][0])
                                       or same_person(spelt, self.keys[i][1])):
                self.used.add(i)
                return i
        return None


def _plain(name: str) -> str:
    return latex_accents_to_unicode(name)


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(map(_plain, names[:SHOW_NAMES]))
    return shown + (f" and {len(names) - SHOW_NAMES} more" if len(names) > SHOW_NAMES else "")


def _is_sorted(names: Sequence[str]) -> bool:
    keys = [" ".join(name_key(n)) for n in names]
    return keys == sorted(keys)


def describe(trusted: Observation, obs: Observation,
             who_trusted: str = "the trusted list") -> list[tuple[Severity, str]]:
    """How the author list of ``obs`` differs from the trusted one: (severity, phrase) pairs."""
    ref, names = trusted.authors, obs.authors
    n, k = len(ref), len(names)
    ref_cut = bool(trusted.extra.get("authors_truncated")) or (trusted.authors_total or 0) > n
    index = _Index(ref)
    places = [index.find(name) for name in names]
    found: list[tuple[Severity, str]] = []
    missing = [name for name, at in zip(names, places) if at is None]
    # A name in another script than every trusted name ("张伟" beside arXiv's Latin list) may
    # be any of them transliterated, which this check cannot tell: it informs.
    scripts = {_script(name) for name in ref}
    foreign = [name for name in missing if _script(name) == "other" and scripts == {"latin"}]
    missing = [name for name in missing if name not in foreign]
    if missing:
        severity = Severity.INFO if ref_cut else Severity.WARNING
        found.append((severity, f"has {len(missing)} name{'s' * (len(missing) > 1)} not in "
                                f"{who_trusted}'s{' cut' if ref_cut else ''} list ({_names(missing)})"))
    if foreign:
        found.append((Severity.INFO, f"has {len(foreign)} name{'s' * (len(foreign) > 1)} in another script than "
                                     f"{who_trusted}'s list, not compared ({_names(foreign)})"))
    stated = obs.authors_total
    total = max(n, trusted.authors_total or 0)
    if stated is not None and stated not in (total, k) and not ref_cut:
        found.append((Severity.WARNING, f"says {stated} authors where {who_trusted} lists {total}"))
    # More names than the trusted list has always leaves some unplaced (each trusted name
    # places one name at most), so a longer list is told by the "not in ... list" phrase above.
    matched = [at for at in places if at is not None]
    in_order = matched == sorted(matched)
    if k < n and not ref_cut:
        marked = obs.extra.get("authors_truncated") or (obs.authors_total or 0) > k
        cut = " (marked as cut by the source)" if marked else ""
        if matched == list(range(len(matched))):
            which = f"{who_trusted}'s first {len(matched)}, in the same order"
        elif set(matched) == set(range(len(matched))):
            how = "alphabetical" if _is_sorted(names) and not _is_sorted(ref[:len(matched)]) else "another"
            which = f"{who_trusted}'s first {len(matched)}, in a different order ({how} order)"
        else:
            which = ("a selection of the list, in the same order" if in_order
                     else "a selection of the list, in a different order")
        found.append((Severity.INFO, f"shows {k} of {total} authors{cut}: {which}"))
    elif not in_order:
        first = next(i for i, at in enumerate(matched) if at != sorted(matched)[i])
        # A source whose reader says its order is not the paper's (a list scraped in some
        # other order) only informs: its order is no claim about credit.
        severity = Severity.INFO if obs.extra.get("authors_order_unknown") else Severity.WARNING
        found.append((severity, f"lists the authors in a different order (#{first + 1} is "
                                        f"{_plain(names[places.index(matched[first])])}, {who_trusted}'s "
                                        f"#{first + 1} is {_plain(ref[sorted(matched)[first]])})"))
    return found


def _compare(trusted: Observation, obs: Observation) -> Finding | None:
    found = describe(trusted, obs, label(trusted))
    if not found:
        return None
    phrase = "; ".join(p for _, p in found)
    note = version_note(trusted, obs)
    if note and any(s == Severity.WARNING for s, _ in found):
        # A list of another version (or seen before it existed) is no wrong list: arXiv's
        # own v1 against its v3 is a history, as the title check says of titles.
        found = [(Severity.INFO if s == Severity.WARNING else s, p) for s, p in found]
        phrase = f"{phrase} ({note}: author lists can change between versions)"
    severity = max((s for s, _ in found), key=lambda s: s.level)
    return Finding(severity, phrase, tuple(obs.authors))


def check_authors(paper_id: str, observations: Sequence[Observation], ctx: CheckContext) -> list[Discrepancy]:
    """Author lists that differ from the trusted one in count, truncation, order or names."""
    return compare_field(paper_id, observations, ctx, kind=Kind.AUTHORS, field="authors", compare=_compare)
