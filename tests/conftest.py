"""Shared fixtures: the website is built once per test session, with forced execution."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

from defence_course.build import BuildResult, build_book, write_config
from defence_course.paths import REPO_ROOT

GROUPS_KEY = pytest.StashKey[Path]()

ARTIFACTS = REPO_ROOT / "test-artifacts"

# `make test` runs the suite on two workers (pytest-xdist, --dist loadgroup). Tests that share
# an expensive session fixture stay on one worker, so that it is made once: the website tests
# on one worker, the assignment and grading tests on the other (each group is several minutes
# long; together on one worker they would be the whole run's critical path). Tests without
# either fixture (fresh environments, JupyterLab, models) fill in on both workers.
FIXTURE_GROUPS = {
    "built_site": "site",
    "site_dir": "site",
    "site_server": "site",
    "exercise_build": "exercises",
}
# xdist's own loadgroup reads `xdist_group` markers into the node id, which pytest 9 no longer
# lets it change: every test then ran alone and each worker built both fixtures. So each worker
# writes the group of each test it collected to a file, and the controller's scheduler
# (below) reads them: one work unit per group, the rest test by test.
GROUPS_DIR_KEY = "defence_course_groups_dir"


def fixture_group(item: pytest.Item) -> str | None:
    groups = sorted({FIXTURE_GROUPS[f] for f in item.fixturenames if f in FIXTURE_GROUPS})
    return groups[0] if groups else None


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput") and config.getoption("dist", "no") == "loadgroup":
        config.stash[GROUPS_KEY] = Path(tempfile.mkdtemp(prefix="xdist-groups-"))


def pytest_configure_node(node) -> None:  # xdist, on the controller: tell each worker the folder
    if GROUPS_KEY in node.config.stash:
        node.workerinput[GROUPS_DIR_KEY] = str(node.config.stash[GROUPS_KEY])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    folder = getattr(config, "workerinput", {}).get(GROUPS_DIR_KEY)
    if folder:
        groups = {item.nodeid: group for item in items if (group := fixture_group(item))}
        worker = config.workerinput["workerid"]
        (Path(folder) / f"{worker}.json").write_text(json.dumps(groups), encoding="utf-8")


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    if config.getoption("dist", "no") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    folder = config.stash[GROUPS_KEY]

    class FixtureGroupScheduling(LoadScopeScheduling):
        """One work unit per fixture group (largest first), every other test on its own."""

        groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:  # first called once every worker has collected
                self.groups = {}
                for path in sorted(folder.glob("*.json")):
                    self.groups.update(json.loads(path.read_text(encoding="utf-8")))
            return self.groups.get(nodeid, nodeid)

    return FixtureGroupScheduling(config, log)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The whole book built from scratch: every notebook executed in a fresh kernel, then the
    chapters' handouts printed into it (``html/handouts/``), as ``make book`` does.

    Set DEFENCE_COURSE_SITE_DIR to a folder holding an ``_build/html`` to reuse a build
    while working on the tests (never in CI).
    """
    reuse = os.environ.get("DEFENCE_COURSE_SITE_DIR")
    if reuse:
        html = Path(reuse) / "_build" / "html"
        return BuildResult(returncode=0, log="(reused)", html_dir=html, seconds=0.0)
    out = tmp_path_factory.mktemp("site")
    config = write_config(REPO_ROOT, out / "_config.yml", execute_notebooks="force")
    result = build_book(REPO_ROOT, out, config=config, all_files=True, handouts=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "build.log").write_text(result.log, encoding="utf-8")
    if result.returncode != 0:
        pytest.fail(f"the book did not build:\n{result.log[-6000:]}")
    return result


@pytest.fixture(scope="session")
def site_dir(built_site: BuildResult) -> Path:
    return built_site.html_dir


@pytest.fixture(scope="session")
def site_server(site_dir: Path):
    """The built site served on a free localhost port."""
    from tests.browser import SiteServer

    with SiteServer(site_dir) as running:
        yield running


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (one browser for the whole session)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def exercise_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every assignment built by ``otter assign`` into a temporary folder, once per session.

    The student notebooks go to ``<root>/<name>/student.ipynb`` (the committed ones are not
    touched); autograders and grading manifests to ``<root>/<name>/``. Tests that need the
    solutions checked against the tests rely on the build-time check in ``teach build``; here
    otter's own run of the tests is skipped to keep the session fast.
    """
    from defence_course.teach import assignments

    root = tmp_path_factory.mktemp("exercises")
    for assignment in assignments.ASSIGNMENTS.values():
        assignments.build(
            assignment,
            root=root,
            run_tests=False,
            student_out=root / assignment.name / "student.ipynb",
        )
    return root
