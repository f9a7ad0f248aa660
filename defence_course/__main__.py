"""``python -m defence_course …``: the course's command line (see ``--help``).

``teach …`` is the teacher's command line (:mod:`defence_course.teach.cli`); ``notebooks``
writes the reader's notebook of every page (:mod:`defence_course.notebooks`); ``handouts`` prints
each chapter's summary and worksheet to PDF from the built website (:mod:`defence_course.handouts`).
"""

import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["notebooks"]:
        from defence_course.notebooks import main as notebooks_main

        raise SystemExit(notebooks_main(sys.argv[2:]))
    if sys.argv[1:2] == ["handouts"]:
        from defence_course.handouts import main as handouts_main

        raise SystemExit(handouts_main(sys.argv[2:]))
    from defence_course.teach.cli import main

    raise SystemExit(main())
