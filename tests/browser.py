"""What the browser tests share outside their fixtures."""

# Every wait in the browser tests is for a state the user would see; this only bounds how long
# a busy machine may take to get there (Playwright's own default for assertions is 5 s).
WAIT_FOR_STATE_MS = 30_000
