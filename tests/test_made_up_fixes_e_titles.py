"""A title labelled as the original ("Titel im Original: *...*") under a bold translation is
the title; the translation is not. Pages written here from scratch."""

from __future__ import annotations

from scrapers.pages.digests import generic


def read(text: str, url: str = "file:///x/2031-11-04-tipps.md"):
    return {o.arxiv_id: o for o in generic.FORMAT.parse(text, url).observations
            if o.arxiv_id and not o.extra.get("citation")}


GERMAN = """# Lesetipps vom 4. November 2031

1. **Schnelle Wurzelsuche in dünnen Matrizen** · [3111.00401](https://arxiv.org/abs/3111.00401)
   Titel im Original: *Fast Root Finding in Sparse Matrices*
   Gefällt mir: 40
2. [Soil Moisture from Phone Barometers](https://arxiv.org/abs/3111.00402)
   Gefällt mir: 12
"""


def test_a_labelled_original_title_wins_over_a_bold_translation():
    items = read(GERMAN)
    assert items["3111.00401"].title == "Fast Root Finding in Sparse Matrices"
    assert items["3111.00402"].title == "Soil Moisture from Phone Barometers"


def test_a_labelled_original_in_spanish_and_french_too():
    for label in ("Título original", "Titre original"):
        items = read(GERMAN.replace("Titel im Original", label))
        assert items["3111.00401"].title == "Fast Root Finding in Sparse Matrices", label


def test_a_title_label_in_emphasis_loses_its_marks():
    text = "# Picks, 4 November 2031\n\n1. [3111.00401](https://arxiv.org/abs/3111.00401)\n" \
           "   Original title: _Fast Root Finding in Sparse Matrices_\n" \
           "2. [Soil Moisture from Phone Barometers](https://arxiv.org/abs/3111.00402)\n"
    assert read(text)["3111.00401"].title == "Fast Root Finding in Sparse Matrices"
