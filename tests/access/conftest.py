# The report fixtures of the reports tests: a small survey, published, and Alice's report.
from reports.conftest import obligation, publication, report, survey  # noqa: F401
