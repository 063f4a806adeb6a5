"""The fuzz harness reports what it did at the end of every run."""

from access.conftest import World, as_member, world  # noqa: F401
from fuzz import harness


def pytest_terminal_summary(terminalreporter):
    if harness.COUNTS["posts"]:
        terminalreporter.write_line(
            f"fuzz harness: {harness.COUNTS['handlers']} form handlers, "
            f"{harness.COUNTS['posts']} requests with malformed, oversized or hostile values, "
            f"{harness.COUNTS['server_errors']} server errors"
        )
