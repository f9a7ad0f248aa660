"""Run an assignment's tests (public and hidden) against answers received as JSON.

The evaluator is a separate process that **never runs student code**. The first one is started
before any submission of a batch runs (:meth:`EvaluatorPool.warm`), and at start-up it

- imports everything the tests use and loads every dataset into memory, so a submission that
  later edits the course's files on disk cannot change what the tests compute, and
- compiles the assignment's tests (otter exception-based test files) from the manifest.

It then receives one submission's answers at a time as JSON bytes (see
:mod:`defence_course.teach.grader.value_decoding`), rebuilds plain values from them, calls every
test case of every question with those values, and sends back, as JSON, each question's score and
a message for each failed case. Messages of hidden tests are the plain-words messages the tests
raise (:class:`~defence_course.teach.checks.AnswerError`); neither test source lines nor
tracebacks are ever sent, so feedback files do not reveal hidden tests.

:class:`EvaluatorPool` shares evaluators between grading workers and replaces one that dies:
one submission's trouble (or a crash) costs at most that submission's row an error, never the
batch.
"""

from __future__ import annotations

import importlib
import json
import multiprocessing
import multiprocessing.connection
import os
import queue
import threading
from collections.abc import Callable, Mapping
from typing import Any

PRELOAD_MODULES = (
    "numpy",
    "pandas",
    "altair",
    "otter.test_files",
    "defence_course.data",
    "defence_course.teach.check_basics",
    "defence_course.teach.chart_checks",
    "defence_course.teach.checks",
    "defence_course.teach.grader.value_decoding",
    "defence_course.teach.vegalite",
    "defence_course.figures.eu_nato",
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

    return {
        name: ExceptionTestFile.from_string(source, path=f"{name}.py")
        for name, source in tests.items()
    }


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
                message = (
                    f"the check could not be run on this answer ({type(error).__name__});"
                    " look at the kind of value you assigned"
                )
            case_results.append(TestCaseResult(test_case=case, message=message, passed=passed))
            cases.append(
                {
                    "name": case.name,
                    "hidden": bool(case.hidden),
                    "points": float(case.points or 0),
                    "passed": passed,
                    "message": message,
                }
            )
        test_file.test_case_results = case_results
        results[name] = {
            "score": round(float(test_file.score), 6),
            "possible": round(float(test_file.possible), 6),
            "cases": cases,
        }
    return results


def _message(error: BaseException) -> str:
    text = str(error).strip()
    return text[:1000]


# ---------------------------------------------------------------------------------------------
# The evaluator process


def die_with(parent: int) -> Callable[[], None] | None:
    """What a child of the grader runs to be killed when the grader is, even by SIGKILL (Linux).

    The evaluator calls it first thing, rather than wait for its pipe; the sandbox launch runs
    it right after the fork, before bwrap (whose own --die-with-parent arms later). ``prctl`` is
    looked up here, before any fork. None where the platform has no prctl.
    """
    import ctypes
    import signal

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None

    def arm() -> None:
        prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the grader died before the line above
            os._exit(1)

    return arm


def serve(
    conn: multiprocessing.connection.Connection, tests: Mapping[str, str], parent: int | None = None
) -> None:
    """Evaluator main loop: answers in (JSON bytes), results out (JSON bytes)."""
    from defence_course.teach.grader.value_decoding import loads

    arm = die_with(parent) if parent is not None else None
    if arm is not None:
        arm()
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
        reply: dict[str, Any]
        try:
            answers = loads(payload)
            reply = {"results": evaluate(test_files, answers)}
        except Exception as error:  # never let one submission stop the evaluator
            reply = {"error": f"{type(error).__name__}: {error}"[:500]}
        conn.send_bytes(json.dumps(reply).encode("utf-8"))


class EvaluatorError(RuntimeError):
    """The checks could not be run on one submission's answers (the message says why)."""


class EvaluatorDied(EvaluatorError):
    """The evaluator process ended, did not start or stopped answering."""


class EvaluatorTimeout(EvaluatorDied):
    """The evaluator did not answer in time (it is stopped; the same answers would hang again)."""


class Evaluator:
    """One evaluator process for one assignment.

    Every way the process can fail (it dies, it is killed, it does not start, it hangs) comes
    out as :class:`EvaluatorDied`; the caller decides whether to start a new one.
    """

    def __init__(self, tests: Mapping[str, str], *, startup_timeout: float = 120.0) -> None:
        self.tests = dict(tests)
        self.startup_timeout = startup_timeout
        self._start()

    def _start(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=serve, args=(child, self.tests, os.getpid()), daemon=True)
        try:
            self.process.start()
        except OSError as error:
            self.conn.close()
            raise EvaluatorDied(f"the evaluator could not be started ({error})") from None
        finally:
            child.close()
        try:
            if not self.conn.poll(self.startup_timeout):
                raise EvaluatorDied(
                    f"the evaluator did not start within {self.startup_timeout:g} s"
                )
            self.conn.recv_bytes()
        except (EOFError, OSError) as error:
            self.close()
            raise EvaluatorDied(
                f"the evaluator ended while starting "
                f"({type(error).__name__}, exit code "
                f"{self.process.exitcode})"
            ) from None
        except EvaluatorDied:
            self.close()
            raise

    def evaluate(self, answers_json: bytes, timeout: float) -> dict[str, Any]:
        """Send one submission's answers and wait for the scores."""
        try:
            self.conn.send_bytes(answers_json)
            if not self.conn.poll(timeout):
                raise EvaluatorTimeout(f"the checks took longer than {timeout:g} s")
            reply = json.loads(self.conn.recv_bytes())
        except (EOFError, OSError, ValueError) as error:
            raise EvaluatorDied(f"the evaluator stopped ({type(error).__name__})") from None
        if not isinstance(reply, dict):
            raise EvaluatorDied("the evaluator sent something that is not a result")
        if "error" in reply:
            raise EvaluatorError(str(reply["error"]))
        return reply["results"]

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


class EvaluatorPool:
    """Evaluators shared by the grading workers, replaced when one dies.

    A submission whose evaluator dies is evaluated once more by a fresh one (the death may have
    had nothing to do with it); if that one dies too, only this submission gets an error. After
    :data:`START_FAILURES` failed starts in a row the pool stops trying and every later
    submission gets that error at once, instead of waiting for more failed starts.
    """

    START_FAILURES = 3

    def __init__(
        self, tests: Mapping[str, str], size: int = 1, *, startup_timeout: float = 120.0
    ) -> None:
        self.tests = dict(tests)
        self.startup_timeout = startup_timeout
        self.idle: queue.Queue[Evaluator | None] = queue.Queue()
        for _ in range(max(1, size)):
            self.idle.put(None)  # started when first needed
        self.lock = threading.Lock()
        self.failed_starts = 0
        self.broken = ""
        self.running: list[Evaluator] = []

    def warm(self) -> None:
        """Start the first evaluator now, before any notebook runs (it loads the data then)."""
        slot = self.idle.get()
        evaluator = None
        try:
            evaluator = self._started(slot)
        finally:
            self.idle.put(evaluator)

    def _started(self, evaluator: Evaluator | None) -> Evaluator:
        if evaluator is not None and evaluator.process.is_alive():
            return evaluator
        if evaluator is not None:
            self._discard(evaluator)
        with self.lock:
            if self.broken:
                raise EvaluatorDied(self.broken)
        try:
            fresh = Evaluator(self.tests, startup_timeout=self.startup_timeout)
        except EvaluatorDied as error:
            with self.lock:
                self.failed_starts += 1
                if self.failed_starts >= self.START_FAILURES:
                    self.broken = f"{error} ({self.failed_starts} times in a row)"
            raise
        with self.lock:
            self.failed_starts = 0
            self.running.append(fresh)
        return fresh

    def _discard(self, evaluator: Evaluator) -> None:
        with self.lock:
            if evaluator in self.running:
                self.running.remove(evaluator)
        evaluator.close()

    def evaluate(self, answers_json: bytes, timeout: float) -> dict[str, Any]:
        """Scores for one submission; :class:`EvaluatorError` says why there are none."""
        last: EvaluatorDied | None = None
        for _attempt in range(2):
            slot = self.idle.get()
            evaluator: Evaluator | None = None
            try:
                evaluator = self._started(slot)
                return evaluator.evaluate(answers_json, timeout)
            except EvaluatorDied as error:
                last = error
                if evaluator is not None:
                    self._discard(evaluator)
                evaluator = None
                if isinstance(error, EvaluatorTimeout) or self.broken:
                    break  # the same answers would take as long again
            finally:
                self.idle.put(evaluator)
        raise EvaluatorError(f"{last}; a new evaluator was tried" if last else "no evaluator")

    def close(self) -> None:
        with self.lock:
            running, self.running = self.running, []
        for evaluator in running:
            evaluator.close()
