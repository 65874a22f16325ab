"""A post that is a pull request adding the day's list: the diff's added lines are the list,
its context and removed lines are not.

The whole diff was code to the reader: no item was found in it, and the post's one heading
took the diff's first link, an unchanged context line's (yesterday's paper), as its listed
paper, with the post's day. Posts written here from scratch."""

from __future__ import annotations

from scrapers.pages.digests import generic
from scrapers.pages.digests.diff_blocks import diff_added_lines


def read(text: str, url: str = "file:///x/2031-11-04-pr.md"):
    return generic.FORMAT.parse(text, url).observations


def listed(observations) -> dict:
    return {o.arxiv_id: o for o in observations if o.arxiv_id and not o.extra.get("citation")}


PULL_REQUEST = """## Add the moss list for 2031-11-04 #88

**quill-bot** wants to merge 1 commit into `main`

```diff
@@ -40,5 +40,10 @@ ## 2031-11-03
 1. [Spore Dispersal Simulators](https://arxiv.org/abs/3111.03301) — 👍 14
-2. [Withdrawn Lichen Paper](https://arxiv.org/abs/3111.03302) — 👍 2
 
+## 2031-11-04
+
+1. [Moss Canopy Radiance Fields](https://arxiv.org/abs/3111.04401) — 👍 37 · 💬 2
+2. [Rhizoid Growth Under Drought](https://arxiv.org/abs/3111.04402) — 👍 9
+
```

> Reviewer: the 3111.03301 count above is 👍 20 by now, but that day is closed.
"""


def test_the_added_lines_of_a_diff_are_the_list():
    found = read(PULL_REQUEST)
    items = listed(found)
    assert set(items) == {"3111.04401", "3111.04402"}
    assert [(items[i].rank, items[i].upvotes) for i in sorted(items)] == [(1, 37), (2, 9)]
    assert items["3111.04401"].comments == 2
    for gone in ("3111.03301", "3111.03302"):
        obs = next(o for o in found if o.arxiv_id == gone)
        assert obs.extra.get("citation") and (obs.listed_on, obs.rank, obs.upvotes) == (None, None, None)


def test_other_fences_are_left_as_they_are():
    """Code, and a diff that adds no paper link, stay fenced as they were."""
    code = "```python\n+x = 1  # https://arxiv.org/abs/3111.04401\n```\n"
    assert diff_added_lines(code) == code
    plain_diff = "```diff\n-old\n+new\n```\n"
    assert diff_added_lines(plain_diff) == plain_diff
