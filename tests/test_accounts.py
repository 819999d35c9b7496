"""Accounts (django-allauth) as a user meets them: Advisor's own pages, words and safeguards."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from advisor.models import Membership, Role
from tests.conftest import delivered
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "plum-lantern-orbit-42"
HOME = "/projects/"


# A small DOM built with the standard library, so tests can say "the error is next to the
# username field" rather than "the page contains this text somewhere".
class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Node | str] = []

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        return [
            node
            for node in self.iter()
            if (tag is None or node.tag == tag)
            and all(node.attrs.get(name) == value for name, value in attrs.items())
        ]

    def by_id(self, element_id: str) -> Node:
        (node,) = self.find_all(id=element_id)
        return node

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    @property
    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join(" ".join(parts).split())


class _TreeBuilder(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in self.VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node.parent is not None and node.tag != tag:
            node = node.parent
        if node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def page(response) -> Node:
    builder = _TreeBuilder()
    builder.feed(response.content.decode())
    builder.close()
    return builder.root


def h1(response) -> str:
    (heading,) = page(response).find_all("h1")
    return heading.text


def main_text(response) -> str:
    return page(response).by_id("main").text


def main_links(response) -> dict[str, str]:
    return {a.text: a.attrs["href"] for a in page(response).by_id("main").find_all("a")}


def field_error(response, name: str) -> str:
    """The error shown for one field: in its invalid-feedback, which the input points to."""
    doc = page(response)
    field = doc.by_id(f"id_{name}")
    assert "is-invalid" in field.classes()
    assert f"id_{name}_error" in (field.attrs.get("aria-describedby") or "").split()
    feedback = doc.by_id(f"id_{name}_error")
    assert "invalid-feedback" in feedback.classes()
    # Next to the field: in the same wrapper as its input.
    assert feedback.parent is field.parent
    return feedback.text


def form_alert(response) -> str:
    """The error about the whole form: in a red alert inside the form, read out when shown."""
    (form,) = page(response).by_id("main").find_all("form")
    (alert,) = [node for node in form.iter() if {"alert", "alert-danger"} <= node.classes()]
    assert alert.attrs.get("role") == "alert"
    return alert.text


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def log_in(client: Client, login: str, password: str = PASSWORD, **extra: str):
    return client.post("/accounts/login/", {"login": login, "password": password, **extra})


def signup_data(**overrides: str) -> dict[str, str]:
    return {
        "email": "newcomer@example.com",
        "username": "newcomer",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }


def reset_link(message) -> str:
    match = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def confirmation_url(user) -> str:
    """The link that confirms `user`'s address, which is not confirmed yet."""
    address, _ = EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": False}
    )
    return f"/accounts/confirm-email/{EmailConfirmationHMAC(address).key}/"


def emailed_confirmation_link(message) -> str:
    match = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


# Logging in


@pytest.mark.django_db
def test_login_page_says_what_it_is_and_links_to_signup_and_reset(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert h1(response) == "Log in to Advisor"
    links = main_links(response)
    assert links["Forgot your password?"] == "/accounts/password/reset/"
    assert links["Create an account"] == "/accounts/signup/"
    (button,) = page(response).by_id("main").find_all("button", type="submit")
    assert button.text == "Log in"


@pytest.mark.parametrize("login", ["alice", "alice@example.com", "ALICE@example.com"])
@pytest.mark.django_db
def test_log_in_by_username_or_email_goes_to_projects(client, login):
    UserFactory(username="alice", email="alice@example.com")

    response = log_in(client, login)

    assert response.status_code == 302
    assert response.url == HOME
    assert is_logged_in(client)


@pytest.mark.django_db
def test_wrong_password_shows_the_error_on_the_login_form(client, user):
    response = log_in(client, user.username, "not-the-password")

    assert response.status_code == 400
    assert h1(response) == "Log in to Advisor"
    assert form_alert(response) == "The username and/or password you specified are not correct."
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_after_five_failures_even_the_right_password_is_refused(client, user):
    for _ in range(5):
        assert log_in(client, user.username, "guess").status_code == 400

    response = log_in(client, user.username, PASSWORD)

    assert response.status_code == 400
    assert form_alert(response).startswith(
        "Too many failed logins to this account from your connection. Wait "
    )
    assert not is_logged_in(client)


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example/"]
)
@pytest.mark.django_db
def test_login_never_sends_the_user_to_another_site(client, user, next_url):
    response = log_in(client, user.username, next=next_url)

    assert response.status_code == 302
    assert response.url == HOME


@pytest.mark.parametrize("next_url", ["/projects/", "/projects/?archived=1"])
@pytest.mark.django_db
def test_login_honours_a_local_next(client, user, next_url):
    response = log_in(client, user.username, next=next_url)

    assert response.status_code == 302
    assert response.url == next_url


# Signing up


@pytest.mark.django_db
def test_signup_page_says_what_it_is(client):
    response = client.get("/accounts/signup/")

    assert response.status_code == 200
    assert h1(response) == "Create your Advisor account"
    assert main_links(response)["Log in"] == "/accounts/login/"


@pytest.mark.django_db
def test_signup_creates_the_user_with_a_team_they_own_and_asks_to_confirm(client):
    with delivered():
        response = client.post("/accounts/signup/", signup_data())

    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    user = get_user_model().objects.get(username="newcomer")
    assert user.email == "newcomer@example.com"
    assert user.check_password(NEW_PASSWORD)
    (membership,) = Membership.objects.filter(user=user)
    assert membership.role == Role.OWNER
    assert not is_logged_in(client)
    assert h1(client.get(response.url)) == "Check your email"
    (message,) = mail.outbox
    assert message.to == ["newcomer@example.com"]

    confirm = emailed_confirmation_link(message)
    client.post(confirm)

    # Confirmed in the browser that signed up: logged in, at home.
    assert EmailAddress.objects.get(user=user).verified
    assert is_logged_in(client)
    assert client.get(HOME).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"username": "alice"}, "username", "A user with that username already exists."),
        (
            {"password2": NEW_PASSWORD + "x"},
            "password2",
            "You must type the same password each time.",
        ),
        (
            {"password1": "password", "password2": "password"},
            "password1",
            "This password is too common.",
        ),
        (
            {"password1": "8364519027", "password2": "8364519027"},
            "password1",
            "This password is entirely numeric.",
        ),
    ],
    ids=["duplicate-username", "mismatch", "common", "numeric"],
)
@pytest.mark.django_db
def test_signup_errors_are_shown_next_to_their_field(client, overrides, field, error):
    UserFactory(username="alice", email="alice@example.com")

    response = client.post("/accounts/signup/", signup_data(**overrides))

    assert response.status_code == 400
    assert h1(response) == "Create your Advisor account"
    assert error in field_error(response, field)
    assert not get_user_model().objects.filter(username="newcomer").exists()
    assert not is_logged_in(client)


# Resetting a forgotten password


@pytest.mark.django_db
def test_password_reset_emails_a_link_that_sets_a_new_password(client, user):
    with delivered():
        response = client.post("/accounts/password/reset/", {"email": user.email})

    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/done/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]

    form_page = client.get(reset_link(mail.outbox[0]), follow=True)
    assert form_page.status_code == 200
    assert h1(form_page) == "Choose a new password"
    # allauth moves the key out of the address before showing the form.
    set_password_url, _ = form_page.redirect_chain[-1]

    done = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done.url == "/accounts/password/reset/key/done/"
    assert h1(client.get(done.url)) == "Your password is changed"

    fresh = Client()
    assert log_in(fresh, user.username, PASSWORD).status_code == 400
    assert log_in(fresh, user.username, NEW_PASSWORD).url == HOME


@pytest.mark.django_db
def test_a_used_reset_link_no_longer_works(client, user):
    with delivered():
        client.post("/accounts/password/reset/", {"email": user.email})
    link = reset_link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    response = Client().get(link, follow=True)

    assert response.status_code == 200
    assert h1(response) == "This reset link does not work"
    assert main_links(response)["Ask for a new link"] == "/accounts/password/reset/"


@pytest.mark.django_db
def test_password_reset_does_not_tell_whether_an_address_has_an_account(client, user):
    known = client.post("/accounts/password/reset/", {"email": user.email}, follow=True)
    unknown = Client().post(
        "/accounts/password/reset/", {"email": "nobody@example.com"}, follow=True
    )

    assert (
        known.redirect_chain == unknown.redirect_chain == [("/accounts/password/reset/done/", 302)]
    )
    assert main_text(known) == main_text(unknown)
    assert h1(unknown) == "Check your email"


# Changing a password, logging out


@pytest.mark.django_db
def test_password_change_needs_login(client):
    response = client.get("/accounts/password/change/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/accounts/password/change/"


@pytest.mark.django_db
def test_password_change_sets_the_new_password(client_logged_in, user):
    response = client_logged_in.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )

    assert response.status_code == 200
    assert "Password successfully changed." in page(response).by_id("messages").text
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_password_change_with_a_wrong_current_password_is_refused(client_logged_in, user):
    response = client_logged_in.post(
        "/accounts/password/change/",
        {"oldpassword": "not-it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 400
    assert "Please type your current password." in field_error(response, "oldpassword")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_logout_asks_first_on_get_and_logs_out_on_post(client_logged_in):
    confirm = client_logged_in.get("/accounts/logout/")

    assert confirm.status_code == 200
    assert h1(confirm) == "Log out of Advisor?"
    assert is_logged_in(client_logged_in)
    (form,) = page(confirm).by_id("main").find_all("form")
    assert form.attrs["method"] == "post"
    assert form.attrs["action"] == "/accounts/logout/"

    response = client_logged_in.post("/accounts/logout/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/"
    assert not is_logged_in(client_logged_in)


# Email addresses


@pytest.mark.django_db
def test_adding_an_email_address_lists_it_unconfirmed_and_sends_a_link(client_logged_in):
    with delivered():
        response = client_logged_in.post(
            "/accounts/email/", {"email": "second@example.com", "action_add": ""}, follow=True
        )

    assert response.redirect_chain == [("/accounts/email/", 302)]
    assert "Confirmation email sent to second@example.com." in main_text(response)
    (label,) = [
        label for label in page(response).find_all("label") if "second@example.com" in label.text
    ]
    assert label.text == "second@example.com Not confirmed"
    assert [message.to for message in mail.outbox] == [["second@example.com"]]


@pytest.mark.django_db
def test_an_email_confirmation_link_asks_then_confirms(client):
    user = UserFactory(confirmed_email=False)
    url = confirmation_url(user)

    response = client.get(url)

    assert h1(response) == "Confirm your email address"
    assert f"Confirm that {user.email} is an email address of {user.username}." in main_text(
        response
    )
    assert not EmailAddress.objects.get(user=user).verified

    client.post(url)

    assert EmailAddress.objects.get(user=user).verified


# What users type is shown as text, never as markup


@pytest.mark.django_db
def test_an_email_address_with_markup_is_escaped(client):
    email = '"<script>alert(1)</script>"@example.com'
    response = client.post("/accounts/signup/", signup_data(email=email))
    assert response.status_code == 302
    client.force_login(get_user_model().objects.get(username="newcomer"))

    response = client.get("/accounts/email/")

    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert email in page(response).by_id("main").text


@pytest.mark.django_db
def test_a_login_with_markup_is_escaped_when_the_form_comes_back(client):
    response = log_in(client, '<img src=x onerror="alert(1)">', "whatever")

    html = response.content.decode()
    assert response.status_code == 400
    assert "<img src=x" not in html
    assert page(response).by_id("id_login").attrs["value"] == '<img src=x onerror="alert(1)">'


# Every account page: one h1, a label for every field, nothing the CSP would block


def unusable_password_user():
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    return user


def reset_form_url(client, user) -> str:
    with delivered():
        client.post("/accounts/password/reset/", {"email": user.email})
    response = client.get(reset_link(mail.outbox[-1]))
    assert response.status_code == 302
    return response.url


PAGES = {
    # name: (who is logged in, how to get the URL)
    "login": ("anonymous", lambda c, u: "/accounts/login/"),
    "signup": ("anonymous", lambda c, u: "/accounts/signup/"),
    "logout": ("user", lambda c, u: "/accounts/logout/"),
    "password-change": ("user", lambda c, u: "/accounts/password/change/"),
    "password-set": ("no-password", lambda c, u: "/accounts/password/set/"),
    "password-reset": ("anonymous", lambda c, u: "/accounts/password/reset/"),
    "password-reset-done": ("anonymous", lambda c, u: "/accounts/password/reset/done/"),
    "password-reset-from-key": ("anonymous", reset_form_url),
    "password-reset-bad-key": (
        "anonymous",
        lambda c, u: "/accounts/password/reset/key/1-set-password/",
    ),
    "password-reset-from-key-done": (
        "anonymous",
        lambda c, u: "/accounts/password/reset/key/done/",
    ),
    "email": ("user", lambda c, u: "/accounts/email/"),
    "verification-sent": ("anonymous", lambda c, u: "/accounts/confirm-email/"),
    "confirm-email": ("anonymous", lambda c, u: confirmation_url(u)),
    "confirm-email-bad-key": ("anonymous", lambda c, u: "/accounts/confirm-email/nope/"),
    "inactive": ("anonymous", lambda c, u: "/accounts/inactive/"),
    "reauthenticate": ("user", lambda c, u: "/accounts/reauthenticate/"),
}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.django_db
def test_account_page_is_an_advisor_page(client, name):
    who, url_for = PAGES[name]
    user = unusable_password_user() if who == "no-password" else UserFactory()
    if who != "anonymous":
        client.force_login(user)

    response = client.get(url_for(client, user))

    assert_advisor_page(response)


def assert_advisor_page(response) -> None:
    """One h1, a label for every field, nothing the CSP would block, Advisor's own layout."""
    assert response.status_code == 200
    html = response.content.decode()
    doc = page(response)
    assert len(doc.find_all("h1")) == 1
    assert doc.find_all("html")[0].attrs.get("lang") == "en"
    assert "style=" not in html
    for node in doc.iter():
        assert node.tag != "script" or node.attrs.get("nonce"), node.attrs
        assert "style" not in node.attrs
        assert not [attr for attr in node.attrs if attr.startswith("on")], node.tag
    # allauth's own layout is gone: no "Menu:" list, no second messages list.
    assert "Menu:" not in html
    assert len(doc.find_all(id="messages")) == 1
    labelled = {label.attrs.get("for") for label in doc.find_all("label")}
    for field in doc.find_all("input") + doc.find_all("select") + doc.find_all("textarea"):
        if field.attrs.get("type") not in {"hidden", "submit"}:
            assert field.attrs.get("id") in labelled, field.attrs


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/accounts/logout/", "/accounts/login/"),
        ("/accounts/password/change/", "/accounts/login/?next=/accounts/password/change/"),
        ("/accounts/password/set/", "/accounts/login/?next=/accounts/password/set/"),
        ("/accounts/email/", "/accounts/login/?next=/accounts/email/"),
        ("/accounts/reauthenticate/", "/accounts/login/?next=/accounts/reauthenticate/"),
    ],
)
@pytest.mark.django_db
def test_pages_for_logged_in_users_send_others_to_log_in(client, url, expected):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url == expected


@pytest.mark.django_db
def test_password_set_sends_users_who_have_a_password_to_change_it(client_logged_in):
    response = client_logged_in.get("/accounts/password/set/")

    assert response.status_code == 302
    assert response.url == "/accounts/password/change/"


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/accounts/password/change/", "Password"),
        ("/accounts/email/", "Email addresses"),
        ("/accounts/2fa/", "Two-factor sign-in"),
    ],
)
@pytest.mark.django_db
def test_account_settings_pages_share_a_small_nav(client_logged_in, url, current):
    response = client_logged_in.get(url)

    (nav,) = page(response).find_all("nav", **{"aria-label": "Account settings"})
    links = {a.text: a for a in nav.find_all("a")}
    assert set(links) == {"Password", "Email addresses", "Two-factor sign-in"}
    assert links[current].attrs.get("aria-current") == "page"
