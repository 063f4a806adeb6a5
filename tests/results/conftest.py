# The results tests use the review tests' survey.
from review.conftest import survey  # noqa: F401
