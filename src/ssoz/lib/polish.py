"""Polish grammar the messages need."""


def plural(n: int, one: str, few: str, many: str) -> str:
    """The noun form for n: 1 błąd, 2–4 błędy (but 12–14 błędów), 5 błędów."""
    if n == 1:
        return one
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return few
    return many
