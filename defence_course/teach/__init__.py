"""The teacher side of the course: graded exercises built on otter-grader.

- :mod:`~defence_course.teach.checks`: the checking helpers every exercise test calls, so a
  wrong kind of answer (text for a number, ``None``, ``NaN``, a list for a DataFrame …) gets a
  message in plain words instead of a traceback; :mod:`~defence_course.teach.vegalite` reads
  chart specifications (marks, encodings, the rows a filter keeps). Student notebooks import
  these two, and nothing else of this package;
- :mod:`~defence_course.teach.assignments`: the assignments (one per chapter, the capstone) and
  ``otter assign``; :mod:`~defence_course.teach.variants`: class variants of them;
- :mod:`~defence_course.teach.grader`: grading a folder of submissions safely (sandboxes, the
  tests run apart from student code, the gradebook and LMS files, the leak scan);
- :mod:`~defence_course.teach.cli`: ``python -m defence_course teach …``.
"""
