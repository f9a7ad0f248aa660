"""Run an assignment's tests (public and hidden) against answers received as JSON.

The evaluator is a separate process that **never runs student code**. It is started before any
submission of a batch runs, and at start-up it

- imports everything the tests use and loads every dataset into memory, so a submission that
  later edits the course's files on disk cannot change what the tests compute, and
- compiles the assignment's tests (otter exception-based test files) from the manifest.

It then receives one submission's answers at a time as JSON bytes (see
:mod:`defence_course.teach.values`), rebuilds plain values from them, calls every test case of
every question with those values, and sends back, as JSON, each question's score and a message
for each failed case. Messages of hidden tests are the plain-words messages the tests raise
(:class:`~defence_course.teach.checks.AnswerError`); neither test source lines nor tracebacks
are ever sent, so feedback files do not reveal hidden tests.
"""

from __future__ import annotations

import importlib
import json
import multiprocessing
import multiprocessing.connection
from collections.abc import Mapping
from typing import Any

PRELOAD_MODULES = (
    "numpy", "pandas", "altair",
    "otter.test_files",
    "defence_course.data",
    "defence_course.teach.checks",
    "defence_course.teach.values",
    "defence_course.teach.vegalite",
    "defence_course.figures.overlap",
)


def _preload() -> None:
    for module in PRELOAD_MODULES:
        importlib.import_module(module)
    from defence_course import data

    for name in data.dataset_names():
        data.load_dataset(name)


def compile_tests(tests: Mapping[str, str]) -> dict[str, Any]:
    """Parse otter exception-based test files (``{question: source}``)."""
    from otter.test_files.exception_test import ExceptionTestFile

    return {name: ExceptionTestFile.from_string(source, path=f"{name}.py")
            for name, source in tests.items()}


def evaluate(test_files: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """Score every question: ``{question: {"score", "possible", "cases": […]}}``."""
    from otter.test_files.abstract_test import TestCaseResult

    results = {}
    env = dict(answers)
    for name, test_file in test_files.items():
        case_results, cases = [], []
        for case in test_file.test_cases:
            passed, message = True, ""
            try:
                case.body.call_func(env)
            except AssertionError as error:
                passed, message = False, _message(error) or "a check did not pass"
            except Exception as error:  # a test met an answer it could not handle
                passed = False
                message = (f"the check could not be run on this answer ({type(error).__name__});"
                           " look at the kind of value you assigned")
            case_results.append(TestCaseResult(test_case=case, message=message, passed=passed))
            cases.append({"name": case.name, "hidden": bool(case.hidden),
                          "points": float(case.points or 0), "passed": passed,
                          "message": message})
        test_file.test_case_results = case_results
        results[name] = {"score": round(float(test_file.score), 6),
                         "possible": round(float(test_file.possible), 6), "cases": cases}
    return results


def _message(error: BaseException) -> str:
    text = str(error).strip()
    return text[:1000]


# ---------------------------------------------------------------------------------------------
# The evaluator process


def serve(conn: multiprocessing.connection.Connection, tests: Mapping[str, str]) -> None:
    """Evaluator main loop: answers in (JSON bytes), results out (JSON bytes)."""
    from defence_course.teach import values

    _preload()
    test_files = compile_tests(tests)
    conn.send_bytes(b'{"ready": true}')
    while True:
        try:
            payload = conn.recv_bytes()
        except (EOFError, OSError):
            return
        if payload == b"stop":
            return
        try:
            answers = values.loads(payload)
            reply = {"results": evaluate(test_files, answers)}
        except Exception as error:  # never let one submission stop the evaluator
            reply = {"error": f"{type(error).__name__}: {error}"[:500]}
        conn.send_bytes(json.dumps(reply).encode("utf-8"))


class EvaluatorError(RuntimeError):
    """The evaluator did not answer in time or died."""


class Evaluator:
    """A long-lived evaluator process for one assignment (used by one grading worker)."""

    def __init__(self, tests: Mapping[str, str], *, startup_timeout: float = 120.0) -> None:
        self.tests = dict(tests)
        self.startup_timeout = startup_timeout
        self._start()

    def _start(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=serve, args=(child, self.tests), daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(self.startup_timeout):
            self.close()
            raise EvaluatorError("the evaluator did not start")
        self.conn.recv_bytes()

    def evaluate(self, answers_json: bytes, timeout: float) -> dict[str, Any]:
        """Send one submission's answers; restart the process if it hangs or dies."""
        try:
            self.conn.send_bytes(answers_json)
            if not self.conn.poll(timeout):
                raise EvaluatorError(f"the checks took longer than {timeout:g} s")
            reply = json.loads(self.conn.recv_bytes())
        except (EOFError, OSError, BrokenPipeError) as error:
            self.restart()
            raise EvaluatorError(f"the evaluator stopped ({type(error).__name__})") from None
        except EvaluatorError:
            self.restart()
            raise
        if "error" in reply:
            raise EvaluatorError(reply["error"])
        return reply["results"]

    def restart(self) -> None:
        self.close()
        self._start()

    def close(self) -> None:
        try:
            self.conn.send_bytes(b"stop")
        except (OSError, ValueError):
            pass
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=2)
        self.conn.close()
