"""Price rows for the cost-model tests, shaped like the table the app ships (US dollars; per
million tokens; hosting per hour)."""

from __future__ import annotations

from advisor.domain.costs import Prices

MINI_AZURE = Prices(
    model="GPT-4o mini (Azure OpenAI)",
    as_of="2024-11-01",
    input_per_m=0.15,
    cached_input_per_m=0.075,
    output_per_m=0.60,
    tuned_input_per_m=0.30,
    tuned_output_per_m=1.20,
    training_per_m=3.00,
    hosting_per_hour=1.70,
)
# A per-token tuned model, with no hosting fee: fine-tuning overtakes RAG at high volume.
MINI_NO_HOSTING = Prices(
    **{
        **MINI_AZURE.to_dict(),
        "model": "GPT-4o mini (OpenAI API)",
        "hosting_per_hour": 0,
        "edited": (),
    }
)
FOUR_O_AZURE = Prices(
    model="GPT-4o (Azure OpenAI)",
    as_of="2024-11-01",
    input_per_m=2.50,
    cached_input_per_m=1.25,
    output_per_m=10.00,
    tuned_input_per_m=3.75,
    tuned_output_per_m=15.00,
    training_per_m=25.00,
    hosting_per_hour=1.70,
)
