"""Evaluate an ISO Schematron schema whose query binding is XPath 2 (TBX-Basic's DCA rules) over an lxml tree.

lxml's ``isoschematron`` runs only XSLT 1 schemas; TBX-Basic's uses XPath 2
functions.  Schematron's semantics are small: in each pattern, every node
matched by a rule's context is checked against that rule's asserts, and a
node fires only the first rule of the pattern that matches it.  Contexts are
XSLT match patterns; every one in the TBX schemas is a relative path, so
``//`` before it selects the nodes it matches.
"""

from __future__ import annotations

from pathlib import Path

import elementpath
from elementpath import XPath2Parser
from lxml import etree

SCH = "{http://purl.oclc.org/dsdl/schematron}"


def schematron_failures(schema: Path, doc: etree._ElementTree) -> list[str]:
    """Messages of the failed asserts, one per failing node (empty: valid)."""
    root = etree.parse(str(schema)).getroot()
    namespaces = {ns.get("prefix"): ns.get("uri") for ns in root.iter(f"{SCH}ns")}
    failures: list[str] = []
    for pattern in root.iter(f"{SCH}pattern"):
        fired: list[object] = []
        for rule in pattern.iter(f"{SCH}rule"):
            context = rule.get("context", "")
            nodes = elementpath.select(doc, "//" + context, namespaces=namespaces, parser=XPath2Parser)
            for node in nodes:
                if any(node is seen or node == seen for seen in fired):
                    continue
                fired.append(node)
                for check in rule.iter(f"{SCH}assert"):
                    test = f"boolean({check.get('test')})"
                    if not elementpath.select(doc, test, namespaces=namespaces, parser=XPath2Parser, item=node):
                        failures.append(" ".join((check.text or "").split()))
    return failures
