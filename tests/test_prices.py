"""The price table: the shipped price file, its checks, its loading (on migrate and by
`manage.py load_prices`), the default row, and the warnings shown with a row."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.urls import reverse

from advisor import selectors, services
from advisor.domain import costs
from advisor.domain.schemas import InvalidPriceFile, read_price_file
from advisor.models import Estimate, ModelPrice
from tests.factories import BOTH_ANSWERS, answered_decision
from tests.prices import MINI_AZURE

SHIPPED = json.loads(services.SHIPPED_PRICES.read_text())
SHIPPED_DEFAULT = next(row for row in SHIPPED["rows"] if row.get("default"))
OLD_ROWS = {"GPT-4o mini (Azure OpenAI)", "GPT-4o (Azure OpenAI)", "GPT-4o mini (OpenAI API)"}


def row(model: str = "Small (Vendor)", **changes) -> dict:
    """A valid row of a price file; `changes` replace its fields."""
    return {
        "model": model,
        "provider": "Vendor",
        "size": "small",
        "input_per_m": 0.1,
        "cached_input_per_m": 0.01,
        "output_per_m": 0.4,
        "tuned_input_per_m": 0.2,
        "tuned_output_per_m": 0.8,
        "training_per_m": 3,
        "hosting_per_hour": 0,
        "tuning_open": True,
        "retires_on": None,
        "source_url": "https://vendor.example/pricing",
        "read_on": "2027-01-10",
        **changes,
    }


def price_file(*rows: dict, as_of: str = "2027-01-10") -> str:
    rows = rows or (row(default=True),)
    return json.dumps({"as_of": as_of, "rows": list(rows)})


def load(text: str) -> services.PricesLoaded:
    checked = read_price_file(text)
    return services.prices_load(rows=checked.rows, as_of=checked.as_of)


def prices(**changes) -> costs.Prices:
    return costs.Prices(**{**MINI_AZURE.to_dict(), "edited": (), **changes})


# --- The shipped file --------------------------------------------------------------------------


def test_the_shipped_file_passes_its_checks_and_is_dated_by_its_newest_row():
    checked = read_price_file(services.SHIPPED_PRICES.read_bytes())

    assert checked.as_of == max(row.read_on for row in checked.rows)
    assert {row.provider for row in checked.rows} >= {"OpenAI", "Anthropic", "Google"}
    for provider in ("OpenAI", "Anthropic", "Google"):
        sizes = {row.size for row in checked.rows if row.provider == provider}
        assert sizes == {"large", "small"}, provider
    lora = [row for row in checked.rows if "LoRA" in row.model]
    assert lora
    assert all(row.tuning_open and row.hosting_per_hour == 0 for row in lora)


@pytest.mark.django_db
def test_after_migrating_the_table_holds_the_file_and_the_2024_rows_are_retired():
    table = {price.model: price for price in ModelPrice.objects.all()}

    assert set(table) == {row["model"] for row in SHIPPED["rows"]} | OLD_ROWS
    for shipped in SHIPPED["rows"]:
        price = table[shipped["model"]]
        assert price.offered
        assert price.as_of.isoformat() == shipped["read_on"]
        assert price.input_per_m == Decimal(str(shipped["input_per_m"]))
        assert price.cached_input_per_m == Decimal(str(shipped["cached_input_per_m"]))
        assert price.source_url == shipped["source_url"]
    for model in OLD_ROWS:
        old = table[model]
        assert not old.offered
        assert old.cached_input_per_m == old.input_per_m  # caching was not priced in 2024


@pytest.mark.django_db
def test_the_default_row_is_the_files_and_dated_as_the_file():
    default = selectors.price_default()

    assert ModelPrice.objects.filter(is_default=True).count() == 1
    assert default.model == SHIPPED_DEFAULT["model"]
    assert default.as_of.isoformat() == SHIPPED["as_of"]
    assert default.tuning_open
    assert selectors.price_named(model=None) == default


@pytest.mark.django_db
def test_a_retired_row_is_still_found_by_name():
    assert selectors.price_named(model="GPT-4o mini (OpenAI API)").offered is False


@pytest.mark.django_db
def test_the_database_allows_one_default_only():
    row = ModelPrice.objects.exclude(is_default=True).first()
    with pytest.raises(IntegrityError):
        ModelPrice.objects.filter(pk=row.pk).update(is_default=True)


@pytest.mark.django_db
def test_a_negative_price_is_refused_by_the_database():
    price = ModelPrice.objects.first()
    price.cached_input_per_m = Decimal("-1")

    with pytest.raises(IntegrityError):
        price.save()


@pytest.mark.django_db
def test_a_price_names_its_date():
    price = ModelPrice.objects.get(model="GPT-4o mini (Azure OpenAI)")

    assert str(price) == "GPT-4o mini (Azure OpenAI) (prices of 01 Nov 2024)"


# --- Loading -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_loading_adds_updates_keeps_newer_edits_and_retires_the_rest():
    ModelPrice.objects.filter(model="GPT-5.6 Luna (OpenAI API)").update(
        as_of=date(2027, 2, 1), input_per_m=Decimal("0.5")
    )  # an admin's newer edit
    text = price_file(
        row("New (Vendor)", default=True),
        row(SHIPPED_DEFAULT["model"], input_per_m=0.25),
        row("GPT-5.6 Luna (OpenAI API)", input_per_m=9),
    )

    loaded = load(text)

    assert loaded.added == ["New (Vendor)"]
    assert loaded.updated == [SHIPPED_DEFAULT["model"]]
    assert loaded.kept == ["GPT-5.6 Luna (OpenAI API)"]
    assert ModelPrice.objects.get(model="GPT-5.6 Luna (OpenAI API)").input_per_m == Decimal("0.5")
    # Every other shipped row is older than the file and not in it; the 2024 rows already were.
    others = {r["model"] for r in SHIPPED["rows"]} - {SHIPPED_DEFAULT["model"]}
    assert set(loaded.retired) == others - {"GPT-5.6 Luna (OpenAI API)"}
    assert set(ModelPrice.objects.filter(offered=True).values_list("model", flat=True)) == {
        "New (Vendor)",
        SHIPPED_DEFAULT["model"],
        "GPT-5.6 Luna (OpenAI API)",
    }
    assert list(ModelPrice.objects.filter(is_default=True).values_list("model", flat=True)) == [
        "New (Vendor)"
    ]
    assert loaded.default == "New (Vendor)"


@pytest.mark.django_db
def test_loading_the_same_file_twice_changes_nothing():
    loaded = services.prices_load_file()

    assert loaded.added == loaded.updated == loaded.kept == loaded.retired == []
    assert len(loaded.unchanged) == len(SHIPPED["rows"])


@pytest.mark.django_db
def test_a_row_added_after_the_files_date_stays_offered():
    ModelPrice.objects.create(
        model="Added by an admin",
        as_of=date(2027, 3, 1),
        **{name: Decimal("1") for name in costs.PRICE_FIELDS},
    )

    loaded = load(price_file())

    assert "Added by an admin" not in loaded.retired
    assert ModelPrice.objects.get(model="Added by an admin").offered


@pytest.mark.django_db
def test_a_newer_default_chosen_by_an_admin_is_kept():
    admin_row = ModelPrice.objects.get(model="Claude Haiku 4.5 (Anthropic API)")
    ModelPrice.objects.update(is_default=False)
    ModelPrice.objects.filter(pk=admin_row.pk).update(is_default=True, as_of=date(2027, 3, 1))

    loaded = load(price_file(row(default=True), row("Claude Haiku 4.5 (Anthropic API)")))

    assert loaded.default == "Claude Haiku 4.5 (Anthropic API)"
    assert ModelPrice.objects.filter(is_default=True).count() == 1


@pytest.mark.django_db
def test_without_a_marked_default_the_newest_offered_row_is_the_default():
    ModelPrice.objects.update(is_default=False)

    assert selectors.price_default().as_of.isoformat() == SHIPPED["as_of"]


# --- Malformed files: every fault named, nothing written -------------------------------------

ROW_1 = "row 1 (Small (Vendor)), field "
WITHOUT_TUNING_OPEN = {k: v for k, v in row(default=True).items() if k != "tuning_open"}
ONE_DEFAULT = "field default: exactly one row must be the default; found "
MALFORMED = {
    "not JSON": ('{"as_of": "2027-01-10", "rows": [', "line 1, column"),
    "a price as text": (price_file(row(default=True, input_per_m="0.1")), ROW_1 + "input_per_m"),
    "a negative price": (price_file(row(default=True, output_per_m=-1)), ROW_1 + "output_per_m"),
    "a NUL byte": (price_file(row("Bad\u0000name", default=True)), "row 1 (Badname), field model"),
    "an impossible date": (price_file(row(default=True, read_on="2027-02-30")), ROW_1 + "read_on"),
    "a retirement that is no date": (
        price_file(row(default=True, retires_on="soon")),
        ROW_1 + "retires_on",
    ),
    "an unknown size": (price_file(row(default=True, size="medium")), ROW_1 + "size"),
    "a missing field": (price_file(WITHOUT_TUNING_OPEN), ROW_1 + "tuning_open"),
    "two defaults": (
        price_file(row(default=True), row("B", default=True)),
        ONE_DEFAULT + "row 1, row 2",
    ),
    "no default": (price_file(row(), row("B")), ONE_DEFAULT + "none"),
    "the same model twice": (
        price_file(row(default=True), row()),
        "row 2 (Small (Vendor)), field model: the same model as row 1",
    ),
    "a row read after the file's date": (
        price_file(row(default=True, read_on="2027-02-01")),
        ROW_1 + "read_on: after the file's as_of date",
    ),
    "a file dated after its rows": (
        price_file(as_of="2027-02-01"),
        "field as_of: 2027-02-01 should be the newest read_on",
    ),
    "an http address": (
        price_file(row(default=True, source_url="http://vendor.example")),
        ROW_1 + "source_url",
    ),
}


@pytest.mark.parametrize(("text", "named"), MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_file_names_the_row_and_field(text, named):
    with pytest.raises(InvalidPriceFile) as refused:
        read_price_file(text)

    assert any(named in message for message in refused.value.messages), refused.value.messages


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "named"), MALFORMED.values(), ids=MALFORMED.keys())
def test_the_command_refuses_a_malformed_file_and_writes_nothing(tmp_path, text, named):
    path = tmp_path / "prices.json"
    path.write_text(text)
    before = list(ModelPrice.objects.order_by("pk").values())

    with pytest.raises(CommandError) as refused:
        call_command("load_prices", str(path), stdout=StringIO())

    assert named in str(refused.value)
    assert "nothing changed" in str(refused.value)
    assert list(ModelPrice.objects.order_by("pk").values()) == before


@pytest.mark.django_db
def test_the_command_refuses_a_file_of_the_future(tmp_path):
    path = tmp_path / "prices.json"
    path.write_text(price_file(row(default=True, read_on="2099-01-01"), as_of="2099-01-01"))

    with pytest.raises(CommandError, match="field read_on: a date in the future"):
        call_command("load_prices", str(path), stdout=StringIO())


@pytest.mark.django_db
def test_the_command_refuses_a_file_it_cannot_read(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_prices", str(tmp_path / "missing.json"), stdout=StringIO())


@pytest.mark.django_db
def test_the_command_says_what_it_added_updated_left_alone_and_retired(tmp_path):
    ModelPrice.objects.filter(model="GPT-5.6 Luna (OpenAI API)").update(as_of=date(2026, 12, 5))
    path = tmp_path / "prices.json"
    path.write_text(
        price_file(
            row("New (Vendor)", default=True, read_on="2026-12-05"),
            row(SHIPPED_DEFAULT["model"], read_on="2026-12-05"),
            row("GPT-5.6 Luna (OpenAI API)", read_on="2026-12-01"),
            as_of="2026-12-05",
        )
    )
    out = StringIO()

    with clock(2026, 12, 5):
        call_command("load_prices", str(path), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "1 added, 1 updated, 0 unchanged, 1 left alone (newer in the table), 5 retired. "
        "Default: New (Vendor)."
    )
    assert "Added: New (Vendor)." in lines
    assert "Left alone (newer in the table): GPT-5.6 Luna (OpenAI API)." in lines


def test_the_shipped_path_is_the_data_folder():
    assert Path(__file__).parent.parent / "advisor/data/prices.json" == services.SHIPPED_PRICES


# --- Warnings ------------------------------------------------------------------------------------

AGE = (
    "The prices of GPT-4o mini (Azure OpenAI) were read on 1 Nov 2024, more than six months "
    "ago: check the vendor's page."
)
CLOSED = (
    "GPT-4o mini (Azure OpenAI) cannot be fine-tuned by new customers: its tuned prices are "
    "the base model's, for comparison only; choose a model you can tune under “Model to tune”."
)

WARNINGS = [
    # prices, today, the warnings
    ({}, date(2024, 11, 2), ()),
    ({}, date(2025, 5, 1), ()),  # exactly six months: not yet
    ({}, date(2025, 5, 2), (AGE,)),
    ({}, date(2025, 6, 1), (AGE,)),  # seven months
    ({"tuning_open": False}, date(2024, 12, 1), (CLOSED,)),
    (
        {"retires_on": "2026-10-23"},
        date(2024, 12, 1),
        (
            "GPT-4o mini (Azure OpenAI) retires on 23 Oct 2026, within the 24-month horizon: a "
            "fine-tuned model retires with its base model, so plan to move and retrain before "
            "then.",
        ),
    ),
    ({"retires_on": "2027-01-01"}, date(2024, 12, 1), ()),  # beyond the horizon
    (
        {"retires_on": "2024-11-20", "tuning_open": False},
        date(2024, 12, 1),
        (
            "GPT-4o mini (Azure OpenAI) was due to retire on 20 Nov 2024: a fine-tuned model "
            "retires with its base model, so choose a current one.",
            CLOSED,
        ),
    ),
]


@pytest.mark.parametrize(("changes", "today", "expected"), WARNINGS)
def test_price_warnings(changes, today, expected):
    assert costs.price_warnings(prices(**changes), today=today) == expected


def test_the_horizon_is_a_parameter():
    retiring = prices(retires_on="2025-06-01")

    assert costs.price_warnings(retiring, today=date(2024, 12, 1), horizon_months=3) == ()
    assert costs.price_warnings(retiring, today=date(2024, 12, 1), horizon_months=12)


def test_prices_without_the_new_fields_read_as_before():
    # A snapshot's prices saved before the table knew caching, tuning and retirement.
    saved = {k: v for k, v in MINI_AZURE.to_dict().items() if k in {"model", "as_of"}} | {
        "input_per_m": 0.15,
        "output_per_m": 0.6,
        "tuned_input_per_m": 0.3,
        "tuned_output_per_m": 1.2,
        "training_per_m": 3.0,
        "hosting_per_hour": 1.7,
        "edited": [],
    }

    old = costs.Prices(**saved)

    assert old.cached_input_per_m == 0.15
    assert (old.tuning_open, old.retires_on, old.size) == (True, None, "large")


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"tuning_open": "yes"}, "tuning_open"), ({"retires_on": "2026-13-01"}, "retires_on"),
     ({"size": "huge"}, "size")],
)  # fmt: skip
def test_prices_refuse_a_bad_standing(changes, field):
    with pytest.raises(costs.InvalidEstimate) as refused:
        prices(**changes)

    assert set(refused.value.errors) == {field}


# --- Pages and the API --------------------------------------------------------------------------


def clock(*parts: int):
    """Today, as the pages, the API and the command see it (sessions keep the real time)."""
    return mock.patch("django.utils.timezone.localdate", return_value=date(*parts))


@pytest.fixture
def decision(team):
    return answered_decision(BOTH_ANSWERS, project__team=team)


def page(client, decision, **params) -> str:
    return client.get(reverse("advisor:decision_estimate", args=[decision.pk]), params).text


@pytest.mark.django_db
def test_the_numbers_step_lists_offered_rows_by_provider_then_model(client_logged_in, decision):
    text = page(client_logged_in, decision)

    offered = ModelPrice.objects.filter(offered=True).order_by("provider", "model")
    positions = [text.index(f">{price.model} (prices of") for price in offered]
    assert positions == sorted(positions)
    assert "GPT-4o mini (OpenAI API)" not in text
    assert 'aria-describedby="price-status"' in text
    assert 'Prices read on <time datetime="2026-12-04">4 Dec 2026</time>' in text


@pytest.mark.django_db
def test_seven_months_after_the_files_date_the_age_warning_shows(client_logged_in, decision):
    with clock(2026, 12, 4):
        fresh = page(client_logged_in, decision)
    with clock(2027, 7, 5):
        stale = page(client_logged_in, decision)

    warning = "were read on 4 Dec 2026, more than six months ago"
    assert warning not in fresh
    assert warning in stale


@pytest.mark.django_db
def test_a_row_closed_to_tuning_says_so_on_the_page(client_logged_in, decision):
    sol = ModelPrice.objects.get(model="GPT-5.6 Sol (OpenAI API)")

    text = page(client_logged_in, decision, price=sol.pk)

    assert "GPT-5.6 Sol (OpenAI API) cannot be fine-tuned by new customers" in text
    assert 'class="alert alert-warning' in text


@pytest.mark.django_db
def test_a_saved_estimate_on_a_retired_row_still_computes_and_shows_it(client_logged_in, decision):
    retired = ModelPrice.objects.get(model="GPT-4o mini (OpenAI API)")
    Estimate.objects.create(decision=decision, price=retired, inputs={"monthly_queries": 10})

    text = page(client_logged_in, decision)
    estimate = selectors.saved_estimate(decision.estimate, BOTH_ANSWERS)

    assert f'<option value="{retired.pk}" selected>' in text
    assert "The prices of GPT-4o mini (OpenAI API) were read on 1 Nov 2024" in text
    assert estimate.prices.model == "GPT-4o mini (OpenAI API)"
    assert estimate.monthly_queries == 10


@pytest.mark.django_db
def test_the_api_starts_from_the_default_row_and_sends_its_warnings(client):
    body = {"answers": BOTH_ANSWERS, "estimate": {}}

    with clock(2026, 12, 4):
        fresh = client.post("/api/v1/evaluate", body, content_type="application/json").json()
    with clock(2027, 7, 5):
        stale = client.post("/api/v1/evaluate", body, content_type="application/json").json()

    prices = fresh["estimate"]["inputs"]["prices"]
    assert prices["model"] == SHIPPED_DEFAULT["model"]
    assert prices["as_of"] == SHIPPED["as_of"]
    assert fresh["estimate"]["price_warnings"] == []
    assert stale["estimate"]["price_warnings"] == [
        f"The prices of {SHIPPED_DEFAULT['model']} were read on 4 Dec 2026, more than six "
        "months ago: check the vendor's page."
    ]


@pytest.mark.django_db
def test_the_api_warns_of_a_model_closed_to_tuning(client):
    body = {"answers": BOTH_ANSWERS, "estimate": {"model": "Claude Opus 5 (Anthropic API)"}}

    with clock(2026, 12, 4):
        report = client.post("/api/v1/evaluate", body, content_type="application/json").json()

    assert report["estimate"]["price_warnings"] == [
        "Claude Opus 5 (Anthropic API) cannot be fine-tuned by new customers: its tuned prices "
        "are the base model's, for comparison only; choose a model you can tune under “Model "
        "to tune”."
    ]
