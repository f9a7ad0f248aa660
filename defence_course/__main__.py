"""``python -m defence_course …``: the course's command line (see ``--help``).

``teach …`` is the teacher's command line (:mod:`defence_course.teach.cli`); ``notebooks``
writes the reader's notebook of every page (:mod:`defence_course.notebooks`).
"""

import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["notebooks"]:
        from defence_course.notebooks import main as notebooks_main

        raise SystemExit(notebooks_main(sys.argv[2:]))
    from defence_course.teach.cli import main

    raise SystemExit(main())
