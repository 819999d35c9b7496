"""Failed logins are limited per address and per account-and-address, so a stranger who knows
a username cannot lock its owner out, with a higher cap per account over all addresses whose
lock grows each time it is reached again."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client

from advisor.web.logins import KNOWN_BROWSER_COOKIE
from tests.factories import PASSWORD, UserFactory
from tests.test_accounts import HOME, form_alert, is_logged_in

pytestmark = pytest.mark.django_db

FROM_HERE = "Too many failed logins to this account from your connection."
LOCKED = "This account is locked after many failed logins from different places."


class Clock:
    """`time.time` held still and moved by hand: the counters' windows and the cache's expiry
    both read it, so moving it on is the time passing."""

    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    # At the start of a 15-minute window (and so of a 5-minute one), so no window ends mid-test
    # unless the test moves the clock on.
    start = (int(time.time()) // 900 + 1) * 900
    fake = Clock(start)
    monkeypatch.setattr(time, "time", fake)
    return fake


@pytest.fixture
def owner(db):
    return UserFactory(username="olivia", email="olivia@example.com")


def attempt(ip: str, login: str, password: str):
    client = Client(REMOTE_ADDR=ip)
    response = client.post("/accounts/login/", {"login": login, "password": password})
    return client, response


def fail(ip: str, login: str = "olivia", times: int = 1) -> None:
    for _ in range(times):
        _, response = attempt(ip, login, "wrong guess")
        assert response.status_code == 400


def logs_in(ip: str, login: str = "olivia") -> bool:
    client, response = attempt(ip, login, PASSWORD)
    return response.status_code == 302 and response.url == HOME and is_logged_in(client)


def refusal(ip: str, login: str = "olivia") -> str:
    client, response = attempt(ip, login, PASSWORD)
    assert response.status_code == 400
    assert not is_logged_in(client)
    return form_alert(response)


def test_five_failures_lock_out_that_address_but_not_the_owner_elsewhere(owner, clock):
    fail("203.0.113.7", times=5)

    # From the attacker's address even the right password is refused, with how long to wait.
    message = refusal("203.0.113.7")
    assert message == (f"{FROM_HERE} Wait 5 minutes and try again, or reset your password.")
    # The owner, from their own address, logs in as usual.
    assert logs_in("198.51.100.20")


def test_the_wait_counts_down_and_then_the_address_may_try_again(owner, clock):
    fail("203.0.113.7", times=5)
    clock.advance(3 * 60 + 10)

    assert "Wait 2 minutes" in refusal("203.0.113.7")

    clock.advance(2 * 60)
    assert logs_in("203.0.113.7")


def test_a_login_counts_as_one_however_it_is_cased(owner, clock):
    fail("203.0.113.7", login="olivia", times=3)
    fail("203.0.113.7", login="OLIVIA ", times=2)

    assert refusal("203.0.113.7", login="Olivia").startswith(FROM_HERE)


def test_a_refusal_never_tells_which_address_belongs_to_a_username(owner, clock):
    fail("203.0.113.7", login="olivia", times=5)

    # The owner's address and a stranger's get the same answer to a wrong password.
    _, hers = attempt("203.0.113.7", "olivia@example.com", "wrong guess")
    _, nobodys = attempt("203.0.113.7", "nobody@example.com", "wrong guess")
    assert form_alert(hers) == form_alert(nobodys)
    assert not form_alert(hers).startswith(FROM_HERE)


def test_one_address_cannot_lock_the_account_for_everyone(owner, clock):
    # A whole hour of guessing from one address, as fast as its limit lets it.
    for _ in range(12):
        fail("203.0.113.7", times=5)
        clock.advance(5 * 60)

    assert logs_in("198.51.100.20")


def test_the_cap_per_account_stops_guessing_from_many_addresses(owner, clock):
    # Six addresses, five failures each: the account's 30 in 15 minutes.
    for n in range(6):
        fail(f"203.0.113.{n + 1}", times=5)

    # Now nobody gets in, from anywhere, for 15 minutes: not a seventh address, not the owner.
    assert refusal("192.0.2.99") == f"{LOCKED} Try again in 15 minutes."
    assert refusal("198.51.100.20").startswith(LOCKED)

    clock.advance(15 * 60 + 1)
    assert logs_in("198.51.100.20")


def test_each_lock_within_a_day_lasts_twice_as_long(owner, clock):
    waits = []
    for round_ in range(4):
        for n in range(6):
            fail(f"203.0.{round_}.{n + 1}", times=5)
        waits.append(refusal("198.51.100.20").removeprefix(f"{LOCKED} Try again in "))
        # Through the lock, as an attacker would wait it out.
        clock.advance({0: 15, 1: 30, 2: 60, 3: 120}[round_] * 60 + 1)

    assert waits == ["15 minutes.", "30 minutes.", "60 minutes.", "2 hours."]
    assert logs_in("198.51.100.20")


def test_the_lock_is_back_to_its_first_length_after_a_quiet_day(owner, clock):
    for n in range(6):
        fail(f"203.0.113.{n + 1}", times=5)
    clock.advance(24 * 60 * 60 + 15 * 60 + 1)

    for n in range(6):
        fail(f"203.0.114.{n + 1}", times=5)

    assert refusal("198.51.100.20") == f"{LOCKED} Try again in 15 minutes."


def test_an_unknown_name_is_limited_like_an_account(clock):
    fail("203.0.113.7", login="nobody-here", times=5)

    _, response = attempt("203.0.113.7", "nobody-here", "anything")

    assert form_alert(response).startswith(FROM_HERE)


def test_addresses_of_one_ipv6_network_count_as_one(owner, clock):
    for n in range(5):
        fail(f"2001:db8:1:2::{n + 1}")

    assert refusal("2001:db8:1:2::99").startswith(FROM_HERE)
    assert logs_in("2001:db8:1:3::1")


def test_many_failures_from_one_address_across_accounts_hit_its_own_limit(clock):
    for n in range(10):
        UserFactory(username=f"person{n}")
        fail("203.0.113.7", login=f"person{n}")

    message = refusal("203.0.113.7", login="person0")

    assert (
        message == "Too many failed logins from your connection. Wait a few minutes and try again."
    )


# --- Browsers the owner has logged in from ---------------------------------------------------


def known_browser(ip: str = "198.51.100.20", login: str = "olivia") -> Client:
    """A browser the owner has logged in from, logged out again (its session cookie gone)."""
    client, response = attempt(ip, login, PASSWORD)
    assert response.status_code == 302
    del client.cookies[settings.SESSION_COOKIE_NAME]
    return client


def lock_the_account() -> None:
    for n in range(6):
        fail(f"203.0.113.{n + 1}", times=5)


def test_a_lock_does_not_keep_out_a_browser_the_owner_logged_in_from(owner, clock):
    known = known_browser()
    lock_the_account()

    assert refusal("198.51.100.20").startswith(LOCKED)
    response = known.post("/accounts/login/", {"login": "olivia", "password": PASSWORD})
    assert response.status_code == 302
    assert is_logged_in(known)


def test_the_mark_holds_for_each_login_of_the_account(owner, clock):
    known = known_browser(login="olivia")
    lock_the_account()

    response = known.post("/accounts/login/", {"login": "Olivia@Example.com", "password": PASSWORD})

    assert response.status_code == 302


def test_a_forged_or_outdated_mark_does_not_open_a_lock(owner, clock):
    known = known_browser()
    owner.set_password("a new and long passphrase")
    owner.save()
    forged = Client(REMOTE_ADDR="198.51.100.21")
    forged.cookies[KNOWN_BROWSER_COOKIE] = "0" * 32
    lock_the_account()

    for client, password in ((known, "a new and long passphrase"), (forged, PASSWORD)):
        response = client.post("/accounts/login/", {"login": "olivia", "password": password})
        assert response.status_code == 400
        assert form_alert(response).startswith(LOCKED)
