"""One build step on top of pyproject.toml: put the course's files into the wheel.

The datasets (``data/``) are committed once, at the top of the repository. An installed wheel
(Binder, a student's ``pip install``) has no repository around it, so the build copies those
files into the package as ``defence_course/course_files/``, where
``defence_course.paths`` finds them. An editable install reads the repository itself and
copies nothing. MANIFEST.in puts the same files into the source distribution. (A student
notebook carries its own public tests in its metadata, so no assignment file ships.)
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# Keep in step with defence_course/paths.py (INSTALLED_COURSE_FILES).
TARGET = Path("defence_course") / "course_files"


def course_files() -> list[Path]:
    """The repository files a student's installation needs, relative to the repository."""
    if not (HERE / "data" / "datapackage.json").is_file():
        raise SystemExit(f"{HERE / 'data' / 'datapackage.json'} is missing: a wheel built "
                         "from here would have no datasets (is data/ in the sdist?)")
    # Every file at the top of data/ (the CSVs, datapackage.json, the map, its README);
    # data/raw/ and data/provenance/ are the sources of derived files, not read by the course.
    files = [path for path in (HERE / "data").iterdir() if path.is_file()]
    return sorted(path.relative_to(HERE) for path in files)


class BuildPyWithCourseFiles(build_py):
    """``build_py`` that also copies :func:`course_files` into the built package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        for relative in course_files():
            target = Path(self.build_lib) / TARGET / relative
            self.mkpath(str(target.parent))
            self.copy_file(str(HERE / relative), str(target))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if self.editable_mode:
            return outputs
        return outputs + [str(Path(self.build_lib) / TARGET / r) for r in course_files()]


setup(cmdclass={"build_py": BuildPyWithCourseFiles})
