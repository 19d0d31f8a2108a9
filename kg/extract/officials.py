"""Officials: people the text gives a public post (baseline)."""
from __future__ import annotations

import dataclasses

from ..model import Mention, Role

TITLES = ("secretary", "minister", "spokesman", "president", "chief", "director", "general", "member", "commander")


def extract_roles(doc, mentions: list[Mention], sent_of) -> tuple[list[Mention], list[Role]]:
    out, roles = [], []
    for i, m in enumerate(mentions):
        if m.type == "Person":
            before = doc.text[max(0, m.start - 60):m.start].lower()
            if any(t in before.split()[-4:] for t in TITLES):
                m = dataclasses.replace(m, type="Official")
        out.append(m)
    return out, roles
