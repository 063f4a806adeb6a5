# The publishing tests use the review tests' forms and entities.
from review.conftest import (  # noqa: F401
    dentist,
    financial_survey,
    nurse,
    publication,
    quarterly_form,
    report,
    send_fixture,
    sent_report,
    silesian_report,
    survey,
)
