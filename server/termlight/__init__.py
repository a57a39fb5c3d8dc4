"""termlight: explain jargon where people read it.

The public API is small on purpose: load a glossary, match text against it.
"""

from termlight.errors import GlossaryError, Problem
from termlight.glossary import Glossary, Match, Term

__all__ = ["Glossary", "GlossaryError", "Match", "Problem", "Term"]
__version__ = "0.1.0"
