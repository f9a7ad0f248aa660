"""The teacher side of the course: graded exercises built on otter-grader.

- :mod:`~defence_course.teach.checks`: the checking helpers every exercise test calls, so a
  wrong kind of answer (text for a number, ``None``, ``NaN``, a list for a DataFrame …) gets a
  message in plain words instead of a traceback; :mod:`~defence_course.teach.vegalite` reads
  chart specifications (marks, encodings, the rows a filter keeps);
- :mod:`~defence_course.teach.assignments`: the assignments (one per chapter, the capstone) and
  ``otter assign``;
- :mod:`~defence_course.teach.grading`: grading a folder of submissions safely, with
  :mod:`~defence_course.teach.submissions` (reading and checking the files),
  :mod:`~defence_course.teach.sandbox` and :mod:`~defence_course.teach.runner` (running student
  code in a throw-away process), :mod:`~defence_course.teach.values` (answers passed by value,
  as JSON) and :mod:`~defence_course.teach.evaluate` (the tests, in a process that never runs
  student code);
- :mod:`~defence_course.teach.gradebook`: gradebook, feedback and LMS import files;
- :mod:`~defence_course.teach.leaks`: the scan for solutions and hidden tests in student files;
- :mod:`~defence_course.teach.synthetic`: synthetic submissions for the tests and the benchmark;
- :mod:`~defence_course.teach.cli`: ``python -m defence_course teach …``.
"""
