"""Label plans for the hand-written corpora of issue 5 (draft tooling, not part of the package).

For each language: 78 complaints with crossed gold labels and metadata, and agent replies
(one per complaint, two for 26 multi-turn threads) with a planned set of tone features.
Writers fill in the text to fit each row's plan. Seeded: same output every run.
"""

import numpy as np
import pandas as pd

LANGS = ["he", "bg", "fa", "ar", "ru", "en"]
CATEGORIES = ["product", "service", "delivery", "billing", "usability", "communication"]
TYPES = ["reasonable", "meek", "aggressive", "high_roller", "chronic", "rip_off"]
CHANNELS = ["email", "chat", "phone", "social", "web_form", "in_person"]
DOMAINS = [
    "telecom",
    "banking",
    "e-commerce",
    "airline",
    "restaurant",
    "software",
    "utilities",
    "insurance",
    "hotel",
    "courier",
    "car service",
    "clinic",
]
FEATURES = [
    "empathy",
    "apology",
    "non_apology",
    "bureaucratic",
    "blame",
    "next_steps",
    "unexplained_transfer",
    "explained_transfer",
    "negative_question",
    "open_offer",
    "closing_check",
    "gratitude",
]
EXCLUSIVE = [
    {"apology", "non_apology"},
    {"unexplained_transfer", "explained_transfer"},
    {"negative_question", "open_offer"},
]
N, THREADS = 78, 26


def complaints(lang: str, rng: np.random.Generator) -> pd.DataFrame:
    cat = rng.permutation(np.repeat(CATEGORIES, 13))
    typ = rng.permutation(np.repeat(TYPES, 13))
    sev = rng.permutation(np.array([1] * 20 + [2] * 20 + [3] * 19 + [4] * 19))
    vip = np.where(typ == "high_roller", rng.random(N) < 0.7, rng.random(N) < 0.15)
    value = np.where(vip, rng.lognormal(np.log(60000), 0.8, N), rng.lognormal(np.log(900), 0.9, N))
    start = pd.Timestamp("2024-01-01", tz="UTC")
    received = start + pd.to_timedelta(rng.integers(0, 700 * 24 * 3600, N), unit="s")
    return pd.DataFrame(
        {
            "complaint_id": [f"{lang}-{i:04d}" for i in range(1, N + 1)],
            "lang": lang,
            "channel": rng.choice(CHANNELS, N),
            "domain": rng.choice(DOMAINS, N),
            "received_at": received.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "customer_segment": np.where(vip, "vip", "regular"),
            "customer_value": value.round(0).astype(int),
            "category": cat,
            "complainant_type": typ,
            "severity": sev,
            "multi_turn": np.isin(np.arange(N), rng.choice(N, THREADS, replace=False)),
        }
    )


def feature_sets(n: int, rng: np.random.Generator) -> list[set]:
    while True:
        sets = []
        for _ in range(n):
            k = rng.choice([0, 1, 2, 3, 4], p=[0.1, 0.25, 0.35, 0.2, 0.1])
            chosen = set()
            for f in rng.permutation(FEATURES):
                if len(chosen) == k:
                    break
                if not any(f in pair and chosen & (pair - {f}) for pair in EXCLUSIVE):
                    chosen.add(f)
            sets.append(chosen)
        counts = {f: sum(f in s for s in sets) for f in FEATURES}
        if min(counts.values()) >= 12 and sum(not s for s in sets) >= 8:
            return sets


def responses(frame: pd.DataFrame, lang: str, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for c in frame.itertuples():
        turns = ["agent", "customer", "agent"] if c.multi_turn else ["agent"]
        if c.multi_turn and rng.random() < 0.5:
            turns.append("customer")
        t = pd.Timestamp(c.received_at)
        for turn, author in enumerate(turns, start=1):
            t = t + pd.Timedelta(minutes=int(rng.integers(3, 60 * 48)))
            rows.append(
                {
                    "complaint_id": c.complaint_id,
                    "turn": turn,
                    "author": author,
                    "sent_at": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "agent_id": f"{lang}-agent-{rng.integers(1, 9):02d}"
                    if author == "agent"
                    else "",
                }
            )
    out = pd.DataFrame(rows)
    agent = out["author"] == "agent"
    sets = feature_sets(int(agent.sum()), rng)
    plan = iter(sets)
    for f in FEATURES:
        out[f] = ""
    for i in out.index[agent]:
        s = next(plan)
        for f in FEATURES:
            out.at[i, f] = "true" if f in s else "false"
    return out


if __name__ == "__main__":
    for k, lang in enumerate(LANGS):
        rng = np.random.default_rng(1000 + k)
        c = complaints(lang, rng)
        r = responses(c, lang, rng)
        c.to_csv(f"{lang}/plan_complaints.csv", index=False)
        r.to_csv(f"{lang}/plan_responses.csv", index=False)
        print(lang, len(c), len(r), int((r.author == "agent").sum()))
