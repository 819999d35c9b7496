"""Sign-up and password reset tell a stranger nothing about which addresses have an account,
and nobody logs in before confirming their address."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from advisor import services
from advisor.models import Membership
from tests.conftest import delivered
from tests.factories import PASSWORD, UserFactory
from tests.test_accounts import (
    HOME,
    emailed_confirmation_link,
    field_error,
    h1,
    is_logged_in,
    log_in,
    signup_data,
)

pytestmark = pytest.mark.django_db

KNOWN = "alice@example.com"
# What differs between two requests for reasons that have nothing to do with the address: the
# CSRF token and the CSP nonce.
PER_REQUEST = re.compile(r'(csrfmiddlewaretoken" value=|X-CSRFToken": |nonce=)"?[\w-]+"?')


def seen(response) -> dict:
    """What a visitor can observe of an answer besides its page."""
    return {
        "status": response.status_code,
        "location": response.get("Location"),
        "cookies": sorted(response.cookies),
        "content_type": response["Content-Type"],
    }


def followed(client: Client, response, *, address: str) -> tuple[list, str]:
    """The page a redirect leads to, as text, with the typed address and per-request tokens
    replaced."""
    page = client.get(response["Location"])
    text = PER_REQUEST.sub("TOKEN", page.content.decode()).replace(address, "ADDRESS")
    return page.status_code, text


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", email=KNOWN)


def test_signup_with_a_registered_address_answers_like_a_new_signup(alice):
    unknown = "newcomer@example.com"
    stranger, newcomer = Client(), Client()

    with delivered():
        taken = stranger.post("/accounts/signup/", signup_data(email=KNOWN, username="mallory"))
        fresh = newcomer.post("/accounts/signup/", signup_data(email=unknown, username="nina"))

    assert seen(taken) == seen(fresh)
    assert taken.status_code == 302
    assert followed(stranger, taken, address=KNOWN) == followed(newcomer, fresh, address=unknown)
    assert h1(stranger.get(taken["Location"])) == "Check your email"
    # No second account for the address; the owner is told someone tried.
    assert not get_user_model().objects.filter(username="mallory").exists()
    assert list(get_user_model().objects.filter(email=KNOWN)) == [alice]
    emails = {message.to[0]: message for message in mail.outbox}
    assert set(emails) == {KNOWN, unknown}
    assert emails[KNOWN].subject.endswith("Someone tried to sign up with your address")
    assert "already has an account, so no new one was made" in emails[KNOWN].body
    assert "/accounts/password/reset/" in emails[KNOWN].body
    assert "/accounts/confirm-email/" in emails[unknown].body
    assert not is_logged_in(stranger)
    assert not is_logged_in(newcomer)


def test_signup_with_a_registered_address_in_other_case_is_no_different(alice):
    with delivered():
        response = Client().post(
            "/accounts/signup/", signup_data(email="ALICE@Example.com", username="mallory")
        )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert not get_user_model().objects.filter(username="mallory").exists()
    assert [message.to for message in mail.outbox] == [[KNOWN]]


def test_a_taken_username_is_said_plainly_because_usernames_are_public(alice):
    response = Client().post(
        "/accounts/signup/", signup_data(email="other@example.com", username="alice")
    )

    assert response.status_code == 400
    assert "A user with that username already exists." in field_error(response, "username")


def test_password_reset_answers_alike_for_a_registered_and_an_unknown_address(alice):
    unknown = "nobody@example.com"
    first, second = Client(), Client()

    with delivered():
        known_response = first.post("/accounts/password/reset/", {"email": KNOWN})
        unknown_response = second.post("/accounts/password/reset/", {"email": unknown})

    assert seen(known_response) == seen(unknown_response)
    assert known_response.status_code == 302
    assert followed(first, known_response, address=KNOWN) == followed(
        second, unknown_response, address=unknown
    )
    # Each address's owner learns what happened, in their own mailbox only.
    emails = {message.to[0]: message.body for message in mail.outbox}
    assert set(emails) == {KNOWN, unknown}
    assert "/accounts/password/reset/key/" in emails[KNOWN]
    assert "we do not have any record of such an account" in emails[unknown]


def test_an_unconfirmed_account_cannot_log_in_until_it_confirms():
    user = UserFactory(username="una", confirmed_email=False)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    client = Client()

    with delivered():
        refused = log_in(client, "una", PASSWORD)

    assert refused.status_code == 302
    assert refused["Location"] == "/accounts/confirm-email/"
    assert not is_logged_in(client)
    assert client.get(HOME)["Location"].startswith("/accounts/login/")
    # The login sent a fresh link; confirming it in the same browser logs in.
    (message,) = mail.outbox
    assert message.to == [user.email]
    client.post(emailed_confirmation_link(message))

    assert is_logged_in(client)
    assert EmailAddress.objects.get(user=user).verified
    later = Client()
    assert log_in(later, "una", PASSWORD)["Location"] == HOME


def test_an_account_without_any_address_row_is_asked_to_confirm_too():
    # Accounts made before confirmation was required may have no EmailAddress row at all.
    user = UserFactory(username="old", confirmed_email=False)

    with delivered():
        response = log_in(Client(), "old", PASSWORD)

    assert response["Location"] == "/accounts/confirm-email/"
    assert [message.to for message in mail.outbox] == [[user.email]]


def test_confirming_after_signing_up_from_an_invite_goes_on_to_the_invite(team, user):
    invite = services.invite_create(team=team, user=user, role="viewer")
    invite_url = f"/invites/{invite.token}/"
    client = Client()

    # The invite sends a stranger to log in; they sign up instead, keeping where they were going.
    login_page = client.get(invite_url)
    assert login_page["Location"] == f"/accounts/login/?next={invite_url}"
    with delivered():
        client.post(f"/accounts/signup/?next={invite_url}", signup_data())
    (message,) = mail.outbox
    confirmed = client.post(emailed_confirmation_link(message))

    assert confirmed["Location"] == invite_url
    client.post(invite_url)
    assert Membership.objects.filter(team=team, user__username="newcomer").exists()
