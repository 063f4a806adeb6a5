import pytest


@pytest.mark.parametrize(
    "target,expected",
    [
        ("/start/", "/start/"),
        ("/sprawozdania/?rodzaj=jednorazowe", "/sprawozdania/?rodzaj=jednorazowe"),
        ("0", None),
        ("portal:home", None),
        ("//evil.example/", None),
        ("https://evil.example/", None),
        ("", None),
    ],
)
def test_only_a_path_of_ours_is_followed_after_a_form(rf, target, expected):
    from ssoz.lib.http import safe_next

    assert safe_next(rf.post("/ankieta-przypisujaca/", {"next": target})) == expected
