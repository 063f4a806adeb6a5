"""Who is reminded about a form is decided by the same rule as what an account sees: the
accounts that may fill a publication (`accounts_allowed_for_form`) are exactly those whose
visible publications (`forms_allowed_for_account`) include it, for every flag."""

import itertools

import cast

from ssoz.accounts.models import User
from ssoz.publications.models import Publication, accounts_allowed_for_form


def test_both_directions_of_the_account_rule_agree(hospital, survey):
    accounts = [
        cast.make_user(
            f"konto{number}",
            entity=hospital,
            financial_reports=financial,
            psychiatric_card_only=card_only,
        )
        for number, (financial, card_only) in enumerate(itertools.product((False, True), repeat=2))
    ]
    for year, flags in enumerate(itertools.product((False, True), repeat=3), start=2000):
        publication = Publication.objects.create(
            form_version=survey,
            year=year,
            deadline="2030-01-01",
            for_non_financial=flags[0],
            for_financial=flags[1],
            for_psychiatric_card=flags[2],
        )
        may_fill = set(
            User.objects.filter(pk__in=[a.pk for a in accounts]).filter(
                accounts_allowed_for_form(publication)
            )
        )
        sees = {
            account
            for account in accounts
            if Publication.objects.visible_to(account).filter(pk=publication.pk).exists()
        }
        assert may_fill == sees, flags
