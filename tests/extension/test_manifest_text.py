"""The manifest describes the extension for any glossary, not only the bundled AI one."""

import json
from pathlib import Path

MANIFEST = Path(__file__).resolve().parents[2] / "extension" / "manifest.json"


def test_description_fits_the_stores_and_names_no_subject():
    description = json.loads(MANIFEST.read_text(encoding="utf-8"))["description"]
    assert len(description) <= 132  # Chrome's limit for a manifest description
    assert "glossary" in description
    assert "AI" not in description.split() and "LLM" not in description, description
