"""Lean style sheets: the site's third-party CSS without the rules no page can use.

Every page loads the theme's style sheet (Bootstrap included) and the extensions' ones, and most
of their rules name classes that no page, and no script of the site, ever writes. When the build
finishes, :mod:`defence_course.sphinxext` rewrites each of those style sheets with only the
selectors that can match (:func:`purge_site`), as PurgeCSS does, in Python so that the book builds
the same everywhere (no Node.js at build time) with the CSS parser already installed (tinycss2).

A selector is kept unless it names a class or an id that appears nowhere in the site's *content*:
every built page (its whole text, not only its class attributes) and every script the pages load
(the theme's, Bootstrap, ours, sphinx-yaq's, copybutton's, Vega's), whose string literals are
the classes they add at run time. The test is deliberately loose, so that a kept rule costs bytes
and a dropped one could cost a visible change:

- only classes and ids outside functional pseudo-classes count (``:not(.x)``, ``:is(.x)``,
  ``:has(.x)`` and the like never make a selector unused); element names, attribute selectors
  (``[data-bs-theme=dark]``, ``[data-mode]``, ``[aria-expanded=true]``), pseudo-classes and
  pseudo-elements never do either, so the dark-mode and state rules of a used class stay;
- any word of the content counts, compared without case;
- a selector the parser cannot read, a rule with nested rules, and every at-rule but ``@media``,
  ``@supports``, ``@layer`` and ``@container`` (whose rules are purged the same way) are kept
  whole: ``@font-face``, ``@keyframes``, ``@property``, ``@page``;
- :data:`SAFELIST`: classes that scripts build from pieces (no literal holds the whole name).

The original of each rewritten file is kept outside the site (``_build/unpurged-css/``): an
incremental build, to which Sphinx does not copy the static files again, purges from it, so a
class that a page gains later still finds its rules.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import rcssmin
import tinycss2

# Class names that no page or script holds whole, each with the reason it is needed.
SAFELIST: dict[str, str] = {
    # Bootstrap's tooltips and popovers (the theme's buttons' tooltips) add
    # `bs-${this.constructor.NAME}-auto`: the word is built from a template literal.
    r"bs-(?:tooltip|popover)-auto": "Bootstrap tooltip / popover placement class",
}
SAFE = re.compile("|".join(f"(?:{pattern})" for pattern in SAFELIST), re.IGNORECASE)

# The course's own style sheets are written for the site and stay whole.
OWN_STYLES = {"defence_course.css", "dc-icons.css", "dc-print.css"}
# Scripts that are data or never loaded: the search index (the search page's data, not its
# markup) and Font Awesome's script, which lean_head keeps off the pages.
NOT_CONTENT = {"searchindex.js", "fontawesome.js"}
WORD = re.compile(r"[A-Za-z0-9_-]+")
NAME = re.compile(r"[A-Za-z0-9_-]+")
# At-rules whose block holds ordinary rules, purged like the top level.
GROUPING = {"media", "supports", "layer", "container"}
UNPURGED = "unpurged-css"
SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/\s*$")


def content_words(texts: Iterable[str]) -> set[str]:
    """Every word (letters, digits, ``-`` and ``_``) of ``texts``, lower-cased."""
    words: set[str] = set()
    for text in texts:
        words.update(w.lower() for w in WORD.findall(text))
    return words


def selector_names(tokens: list) -> set[str] | None:
    """The classes and ids a selector requires (lower-cased, ``.x`` / ``#x``), or None when the
    selector holds something this reading does not know (it is then kept)."""
    names = set()
    for i, token in enumerate(tokens):
        if token.type == "literal" and token.value == ".":
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            if after is None or after.type != "ident":
                return None
            names.add("." + after.value.lower())
        elif token.type == "hash":
            names.add("#" + token.value.lower())
        elif token.type in {"number", "percentage", "dimension"} and "." in token.representation:
            return None  # e.g. ".5" read as a number: not a selector this reading knows
    return names


def selector_used(tokens: list, words: set[str]) -> bool:
    names = selector_names(tokens)
    if names is None:
        return True
    for name in names:
        bare = name[1:]
        if not NAME.fullmatch(bare):  # an escaped or non-ASCII name: keep
            return True
        if bare not in words and not SAFE.fullmatch(bare):
            return False
    return True


def split_selectors(prelude: list) -> list[list]:
    """A rule's selector list split at its top-level commas."""
    selectors: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def _purge_rules(rules: list, words: set[str]) -> list[str]:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            if any(t.type == "{} block" for t in rule.content):
                kept.append(rule.serialize())  # nested rules: kept whole
                continue
            selectors = split_selectors(rule.prelude)
            used = [s for s in selectors if selector_used(s, words)]
            if len(used) == len(selectors):
                kept.append(rule.serialize())
            elif used:
                prelude = ",".join(tinycss2.serialize(s).strip() for s in used)
                kept.append(prelude + "{" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in GROUPING and rule.content:
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            body = _purge_rules(inner, words)
            if body:
                prelude = tinycss2.serialize(rule.prelude).strip()
                kept.append(f"@{rule.at_keyword} {prelude}{{" + "\n".join(body) + "}")
        elif rule.type == "error":
            raise ValueError(f"unreadable CSS at line {rule.source_line}: {rule.message}")
        else:
            kept.append(rule.serialize())
    return kept


def purge_css(css: str, words: set[str]) -> str:
    """``css`` with only the selectors that ``words`` (see :func:`content_words`) can match."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    # The source map, if any, maps the original file: it is dropped with the rules.
    return "\n".join(_purge_rules(rules, words)) + "\n"


def site_content(html_dir: Path) -> list[str]:
    """The texts whose words keep a rule: every page, every script the site ships."""
    texts = []
    for path in sorted(html_dir.rglob("*")):
        if path.suffix not in {".html", ".js"} or not path.is_file():
            continue
        if path.name in NOT_CONTENT:
            continue
        texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return texts


def style_sheets(html_dir: Path) -> list[Path]:
    """The third-party style sheets of the site (ours are written for it and stay whole)."""
    return sorted(
        p for p in (html_dir / "_static").rglob("*.css") if p.name not in OWN_STYLES and p.is_file()
    )


@dataclass(frozen=True)
class Purged:
    path: Path
    before: int
    after: int


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def minify_css(text: str) -> str:
    """``text`` without comments and spare whitespace (rcssmin; licence comments stay)."""
    return rcssmin.cssmin(text, keep_bang_comments=True)


def purge_site(html_dir: Path) -> list[Purged]:
    """Rewrite the site's third-party style sheets with only the rules its content can use.

    Each original is kept in ``html_dir/../unpurged-css/`` with the digest of what was written
    in its place; a style sheet still holding that output is purged again from its original.
    """
    html_dir = Path(html_dir)
    words = content_words(site_content(html_dir))
    store = html_dir.parent / UNPURGED
    done = []
    for path in style_sheets(html_dir):
        rel = path.relative_to(html_dir)
        original_copy = store / rel
        stamp = original_copy.with_name(original_copy.name + ".written")
        current = path.read_text(encoding="utf-8")
        if original_copy.exists() and stamp.exists() and stamp.read_text() == _digest(current):
            original = original_copy.read_text(encoding="utf-8")
        else:
            original = current
            original_copy.parent.mkdir(parents=True, exist_ok=True)
            original_copy.write_text(original, encoding="utf-8")
        # Minified too (comments and spare whitespace; licence comments stay).
        purged = minify_css(purge_css(original, words))
        if purged != current:
            path.write_text(purged, encoding="utf-8")
        stamp.write_text(_digest(purged))
        done.append(Purged(rel, len(original.encode("utf-8")), len(purged.encode("utf-8"))))
    return done


def needed_rules_dropped(original: str, purged: str, names: set[str]) -> list[str]:
    """Selectors of ``original`` that can match a page whose classes and ids are ``names``
    (``.x`` / ``#x``, e.g. read from a page's live DOM) but that ``purged`` lost."""
    present = {n.lower() for n in names}
    # Both minified the same way, so that a selector kept but written without its spaces
    # (``a > b`` as ``a>b``) is recognised.
    original, purged = minify_css(original), minify_css(purged)

    def selectors(css: str) -> list[tuple[str, set[str] | None]]:
        found = []

        def walk(rules: list) -> None:
            for rule in rules:
                if rule.type == "qualified-rule":
                    for s in split_selectors(rule.prelude):
                        found.append((" ".join(tinycss2.serialize(s).split()), selector_names(s)))
                elif rule.type == "at-rule" and rule.lower_at_keyword in GROUPING and rule.content:
                    walk(tinycss2.parse_rule_list(rule.content, True, True))

        walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
        return found

    kept = {text for text, _ in selectors(purged)}
    return sorted(
        {
            text
            for text, required in selectors(original)
            if required is not None and required <= present and text not in kept
        }
    )
