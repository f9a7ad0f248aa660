"""The teacher's grader: grading a folder of student notebooks safely.

:mod:`.grading` (``grade_folder``) reads the submissions (:mod:`.submissions`), runs each in a
sandbox (:mod:`.sandbox`, :mod:`.launch`, :mod:`.isolation`, :mod:`.confinement`; the student
code runs in :mod:`.runner`), passes the answers out by value (:mod:`.values`), runs the tests
in a process that never runs student code (:mod:`.evaluate`), and writes the gradebook and the
LMS files (:mod:`.gradebook`) from the result types of :mod:`.results`. :mod:`.leaks` scans
student-facing files for solutions; :mod:`.synthetic` makes submissions for the tests and the
benchmark. Nothing here is imported by a student notebook.
"""
