from review.conftest import (  # noqa: F401
    publication,
    report,
    send_fixture,
    sent_report,
    silesian_report,
    survey,
)
