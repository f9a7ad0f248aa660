"""Shared code of the open course on European defence.

Notebook pages call into this package: data loading (:mod:`defence_course.data`),
charts (:mod:`defence_course.charts`), models and the teacher command line.
"""

from defence_course.charts import setup_notebook
from defence_course.paths import DATA_DIR, REPO_ROOT

__all__ = ["DATA_DIR", "REPO_ROOT", "setup_notebook"]
__version__ = "0.1.0"
