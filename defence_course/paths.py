"""Where the course's files live."""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("DEFENCE_COURSE_DATA", REPO_ROOT / "data"))
