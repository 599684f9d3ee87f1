"""How the drafts became the corpora (run once; kept as the record of the review edits).

The writers' drafts lived in ``datasets/_drafts/<lang>/`` (see git history, commit 756fd0f).
This script merged them, applied the review fixes below, regenerated the timestamps so that
they fit each channel, and added the writer's gold labels beside the blind second pass. From
then on the CSV files in ``datasets/`` are edited directly; this script is not run again.

Run from the repository root: ``python datasets/making/finalise.py``.
"""

import numpy as np
import pandas as pd

D = "datasets/_drafts"
OUT = "datasets"
L = ["he", "bg", "fa", "ar", "ru", "en"]


def read(name: str) -> pd.DataFrame:
    parts = [pd.read_csv(f"{D}/{lang}/{name}", dtype=str, keep_default_na=False) for lang in L]
    return pd.concat(parts, ignore_index=True)


c = read("complaints.csv")
r = read("responses.csv")


def fix(frame, key, old, new):
    i = frame.index[key]
    assert len(i) == 1, key
    t = frame.at[i[0], "text"]
    assert old in t, (old, t)
    frame.at[i[0], "text"] = t.replace(old, new)


def cid(x):
    return c.complaint_id == x


fix(c, cid("en-0015"), "after its service on 3 October", "after its annual check on 3 October")
fix(c, cid("en-0027"), "30,000-mile service", "30,000-mile check-up")
fix(c, cid("en-0027"), "the service book hadn't", "the maintenance log hadn't")
fix(c, cid("en-0027"), "I'd like the book stamped", "I'd like the log stamped")
fix(c, cid("en-0032"), "stopped one full production run", "stopped one full casting run")
fix(c, cid("en-0032"), "reimbursement of the lost production", "reimbursement of the lost output")
fix(c, cid("en-0062"), "The service advisor spent", "The advisor at the desk spent")
fix(
    c,
    cid("en-0062"),
    "I'd like the service manager to contact me",
    "I'd like the workshop manager to contact me",
)


def rid(x, t):
    return (r.complaint_id == x) & (r.turn == t)


fix(r, rid("en-0062", "1"), "please accept my apology.", "I am truly sorry.")
fix(
    r,
    rid("bg-0058", "1"),
    "Съжаляваме, ако сетът не е отговорил на очакванията Ви.",
    "Извиняваме се, ако сетът Ви е оставил с неприятно впечатление.",
)
fix(
    r,
    rid("bg-0058", "1"),
    "Имаше ли нещо друго нередно в поръчката?",
    "Има ли и друг проблем, за който трябва да знаем?",
)

# --- timestamps: office hours for desk visits and calls, channel-dependent reply gaps ---
rng = np.random.default_rng(2024)
UTC_OFFSET_H = {"he": 2, "bg": 2, "fa": 3.5, "ar": 3, "ru": 3, "en": 0}
rec = pd.to_datetime(c.received_at, utc=True)
new_rec = []
for t, ch, lang in zip(rec, c.channel, c.lang, strict=True):
    if ch in ("in_person", "phone"):
        local_minutes = int(rng.integers(9 * 60, 17 * 60 + 30))  # 09:00-17:30 local
        day = t.normalize()
        t = day + pd.Timedelta(minutes=local_minutes) - pd.Timedelta(hours=UTC_OFFSET_H[lang])
        t += pd.Timedelta(seconds=int(rng.integers(0, 60)))
    new_rec.append(t)
c["received_at"] = [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in new_rec]

GAPS_MIN = {  # (first agent reply, later turns): lognormal median minutes, sigma, floor, cap
    "chat": ((4, 0.6, 1, 20), (3, 0.6, 1, 15)),
    "phone": ((3, 0.5, 1, 10), (2, 0.5, 1, 8)),
    "in_person": ((5, 0.5, 1, 20), (2, 0.5, 1, 10)),
    "social": ((90, 1.0, 5, 12 * 60), (45, 1.0, 3, 8 * 60)),
    "email": ((20 * 60, 0.8, 60, 96 * 60), (8 * 60, 0.9, 30, 72 * 60)),
    "web_form": ((26 * 60, 0.8, 60, 120 * 60), (10 * 60, 0.9, 30, 72 * 60)),
}
meta = c.set_index("complaint_id")
r["turn_i"] = r.turn.astype(int)
r = r.sort_values(["complaint_id", "turn_i"], kind="stable")
sent = []
last = {}
for row in r.itertuples():
    ch = meta.at[row.complaint_id, "channel"]
    first = row.turn_i == 1
    med, sig, lo, hi = GAPS_MIN[ch][0 if first else 1]
    gap = float(np.clip(rng.lognormal(np.log(med), sig), lo, hi))
    base = (
        pd.Timestamp(meta.at[row.complaint_id, "received_at"]) if first else last[row.complaint_id]
    )
    t = base + pd.Timedelta(seconds=round(gap * 60))
    last[row.complaint_id] = t
    sent.append(t.strftime("%Y-%m-%dT%H:%M:%SZ"))
r["sent_at"] = sent
order = {lang: i for i, lang in enumerate(L)}
r = r.drop(columns="turn_i")
c = c.sort_values("complaint_id", key=lambda s: s.map(lambda x: (order[x[:2]], x))).reset_index(
    drop=True
)
r["_k"] = r.complaint_id.map(lambda x: (order[x[:2]], x))
r = r.sort_values(
    ["_k", "turn"], key=lambda s: s if s.name == "_k" else s.astype(int), kind="stable"
).drop(columns="_k")
c.to_csv(f"{OUT}/complaints.csv", index=False, lineterminator="\n")
r.to_csv(f"{OUT}/responses.csv", index=False, lineterminator="\n")

# --- annotations: the author's gold labels (annotator_1) beside the blind pass (annotator_2) ---
blind = pd.read_csv(f"{D}/annotations_blind.csv", dtype=str, keep_default_na=False)
gold = (
    c.set_index("complaint_id")
    .loc[blind.complaint_id, ["category", "complainant_type", "severity"]]
    .reset_index()
)
gold.insert(1, "annotator", "annotator_1")
a = pd.concat([gold, blind], ignore_index=True)
a["_k"] = a.complaint_id.map(lambda x: (order[x[:2]], x))
a = a.sort_values(["_k", "annotator"]).drop(columns="_k")
a.to_csv(f"{OUT}/annotations.csv", index=False, lineterminator="\n")
print(len(c), len(r), len(a))
