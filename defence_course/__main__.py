"""``python -m defence_course …``: the course's command line (see ``--help``)."""

from defence_course.teach.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
