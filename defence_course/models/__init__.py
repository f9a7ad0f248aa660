"""The models behind the course's five interactive explorers.

Pure, vectorised functions: numbers in, numbers out, no widgets and no plotting. Bad input
raises ``ValueError`` or ``TypeError`` naming the argument.

- :mod:`~defence_course.models.attrition`: air-defence attrition (chapter 1)
- :mod:`~defence_course.models.opinion`: survey answers by country (chapter 2)
- :mod:`~defence_course.models.fleet`: US-made share of combat fleets (chapter 3)
- :mod:`~defence_course.models.obligations`: mutual-defence clauses and spending (chapter 4)
- :mod:`~defence_course.models.council`: Council voting rules (chapter 5)
"""

from defence_course.models import attrition, council, fleet, obligations, opinion

__all__ = ["attrition", "council", "fleet", "obligations", "opinion"]
