"""Where the course's files live.

The datasets (``data/``) are committed at the top of the repository. Code running
from a checkout (the source tree or an editable install) reads them there; an installed wheel
(Binder, a student's ``pip install``) carries a copy inside the package, made by setup.py.

- ``COURSE_FILES``: the folder that holds ``data/``: the repository root in a checkout, else
  ``defence_course/course_files`` inside the installed package.
- ``DATA_DIR``: ``COURSE_FILES/data``, unless the environment variable ``DEFENCE_COURSE_DATA``
  names another folder.
- ``REPO_ROOT``: the repository, for development tools only (building the website, the
  teacher's masters): in an installed wheel it is just the folder above the package.
"""

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
# Keep in step with setup.py (TARGET).
INSTALLED_COURSE_FILES = PACKAGE_DIR / "course_files"


def _course_files() -> Path:
    # A checkout is recognised by its Data Package descriptor: the folder above an installed
    # package (site-packages) has no data/datapackage.json.
    if (REPO_ROOT / "data" / "datapackage.json").is_file():
        return REPO_ROOT
    return INSTALLED_COURSE_FILES


COURSE_FILES = _course_files()
DATA_DIR = Path(os.environ.get("DEFENCE_COURSE_DATA", COURSE_FILES / "data"))
