"""The report tests moved here from tests/mkba (issue 13): they use the MKBA cohort fixtures."""

from tests.mkba.conftest import cohort, parameters  # noqa: F401
