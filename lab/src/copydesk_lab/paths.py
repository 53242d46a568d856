"""Where the lab finds the corpora: one explicit rule, no `__file__` paths.

Order: the `--corpora DIR` option when given, else `$COPYDESK_CORPORA`, else
`<repo>/../shared/corpora` where <repo> is the git checkout holding the
current directory (the layout of the dev machine and of CI).
"""

from __future__ import annotations

import os
from pathlib import Path

CORPORA_ENV = "COPYDESK_CORPORA"
CORPORA_HELP = "corpora folder (default: $COPYDESK_CORPORA, else <repo>/../shared/corpora)"


def repo_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` (default: cwd) holding `.git`, else `start`."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def corpora_dir(explicit: str | Path | None = None) -> Path:
    """The corpora folder: `explicit`, else $COPYDESK_CORPORA, else <repo>/../shared/corpora."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(CORPORA_ENV)
    if env:
        return Path(env)
    return repo_root().parent / "shared" / "corpora"


def product_data(name: str) -> Path:
    """A file of copydesk's shipped data (`copydesk/data/NAME`), where trainers write models.

    Resolved through the imported package, so it is the source tree under an
    editable install (`pip install -e .`), the case in which retraining makes sense.
    """
    import copydesk

    return Path(copydesk.__path__[0]) / "data" / name
