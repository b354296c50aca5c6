"""Does a page give away a pending answer? Every number written in its DOM (text, SVG,
attributes) against the answers still asked, written here independently of chainrule."""

from __future__ import annotations

import math
import re

NUMBER = re.compile(r"[-−]?(?:\d+\.\d*|\.\d+|\d+)(?:e[-+]?\d+)?")

SCAN_DOM = """() => {
  const parts = [];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent);
    if (node.nodeType === Node.ELEMENT_NODE) {
      for (const attribute of node.attributes) parts.push(attribute.value);
      if (node.tagName === 'INPUT' || node.tagName === 'TEXTAREA') parts.push(node.value);
    }
    if (node.shadowRoot) walk(node.shadowRoot);
    for (const child of node.childNodes) walk(child);
  };
  walk(document.documentElement);
  return parts.join('\\n');
}"""
"""JavaScript for page.evaluate: every text node, attribute and box value of the page."""


def significant_figures(token: str) -> int:
    digits = re.sub(r"e.*$", "", token.lstrip("-−")).replace(".", "").lstrip("0")
    return len(digits)


def gives_away(token: str, value: float, needed: int = 3) -> bool:
    """The token shows ``value`` to the ``needed`` significant figures (at least 3) that
    an answer must give (new w1 = 0.1496 needs 4: 0.150 is the old w1)."""
    figures = significant_figures(token)
    if figures < needed or value == 0:
        return False
    number = float(token.replace("−", "-"))
    exponent = math.floor(math.log10(abs(value)))
    return abs(number - value) <= 0.5 * 10.0 ** (exponent - needed + 1) * (1 + 1e-9)


def leaks(text: str, pending: dict[str, float], needed: dict[str, int] | None = None) -> list[str]:
    """Each (quantity, token) where ``text`` writes a pending answer to the figures it
    needs (3, or ``needed[quantity]``)."""
    needed = needed or {}
    return [
        f"{quantity}: {token}"
        for token in set(NUMBER.findall(text))
        for quantity, value in pending.items()
        if gives_away(token, value, max(3, needed.get(quantity, 3)))
    ]
