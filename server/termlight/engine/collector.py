"""A pause of the cyclic garbage collector, for building or loading large structures.

Used by the matcher while it builds its tables and by the disk cache while it unpickles them;
it lives here, below both, so that the engine imports nothing from the cache.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused_collector():
    """Pause the cyclic garbage collector while a large structure is built or unpickled.

    Hundreds of thousands of objects that all stay alive are allocated, and the collector,
    triggered by the allocations, walks them again and again: about half the time of a build or
    a load of 100k terms.  Nothing built here forms a cycle, so nothing is lost by waiting.

    Afterwards the new objects are moved straight to the oldest generation (``freeze`` then
    ``unfreeze`` splices lists, it visits nothing); otherwise the first collection after this
    would walk them all once more.  Skipped if the program froze objects itself, since
    ``unfreeze`` would undo that.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()
