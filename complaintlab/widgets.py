"""Live widgets for workshops: type a reply, label complaints, move the follow-up sliders.

Each widget is an ``ipywidgets.VBox`` you display in a notebook. Each also has a small Python
interface, so a notebook (and the tests) can drive it without a browser: ``set_text``,
``answer``, ``set``, ``show`` change it as a participant would, and ``html`` / ``table`` /
``summary()`` return what it currently shows. Every piece of user or corpus text is
HTML-escaped before it reaches the page (typing ``<script>`` shows the characters; it never
runs), and right-to-left text is shown in its own direction.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from complaintlab.display import highlight, html_table

__all__ = ["AnnotationGame", "FollowUpSimulator", "TaxonomyExplorer", "ToneChecker",
           "room_agreement"]  # fmt: skip

_GOOD, _BAD, _OFF = "#bbf7d0", "#fecaca", "#e5e7eb"


def _widgets():
    import ipywidgets

    return ipywidgets


def _chip(label: str, colour: str, title: str = "") -> str:
    return (f'<span title="{html.escape(title)}" style="background:{colour}; border-radius:8px; '
            f'padding:1px 8px; margin:2px; display:inline-block">'
            f"{html.escape(label)}</span>")


def _language_options():
    from complaintlab.plots import LANGUAGE_NAMES
    from complaintlab.text import LANGUAGES

    return [("auto-detect", None)] + [(f"{code} · {LANGUAGE_NAMES[code]}", code)
                                      for code in sorted(LANGUAGES)]  # fmt: skip


class _Shown:
    """Display the inner ``widget``, with this object's short repr as the plain-text form."""

    widget = None

    def _repr_mimebundle_(self, **kwargs):
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = repr(self)
        return bundle


class ToneChecker(_Shown):
    """Type an agent's reply; the tone features light up with their evidence highlighted.

    Shows the highlighted reply, one chip per feature (green: a good move present, red: a bad
    move present, grey: absent), the tone score and its band, and the CARP steps. The language
    is detected unless chosen.

    Examples
    --------
    >>> checker = ToneChecker()
    >>> checker.set_text("I'm so sorry, that was our mistake. I'll refund you today.")
    >>> checker.result["lang"], checker.result["apology"], checker.result["next_steps"]
    ('en', True, True)
    >>> checker.set_text("<script>alert(1)</script>")
    >>> "<script>" in checker.html, "&lt;script&gt;" in checker.html
    (False, True)
    """

    def __init__(self, text: str = "", lang: str | None = None, weights: dict | None = None):
        w = _widgets()
        self.weights = weights
        self.area = w.Textarea(value=text, placeholder="Type or paste an agent's reply",
                               continuous_update=True,
                               layout=w.Layout(width="100%", height="110px"))  # fmt: skip
        self.language = w.Dropdown(options=_language_options(), value=lang,
                                   description="language")  # fmt: skip
        self.view = w.HTML()
        self.widget = w.VBox([self.language, self.area, self.view])
        self.result: dict = {}
        self.area.observe(lambda _: self._update(), names="value")
        self.language.observe(lambda _: self._update(), names="value")
        self._update()

    def __repr__(self) -> str:
        return f"ToneChecker(lang={self.language.value!r}, characters={len(self.area.value)})"

    def set_text(self, text: str) -> None:
        """Replace the reply, as if the participant had typed it."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a string; got {type(text).__name__}")
        self.area.value = text
        self._update()

    @property
    def html(self) -> str:
        """The HTML the widget currently shows."""
        return self.view.value

    def _update(self) -> None:
        from complaintlab.text import detect_language
        from complaintlab.tone import FEATURES, carp, explain, score, tone_band
        from complaintlab.tone.carp import STEPS
        from complaintlab.tone.scoring import DEFAULT_WEIGHTS, tone_score

        text = self.area.value
        lang = self.language.value or (detect_language(text) if text.strip() else "und")
        if lang == "und":
            self.result = {"lang": "und", **dict.fromkeys(FEATURES, False), "tone_score": 0.0}
            self.view.value = ("<p><i>Type a reply in Hebrew, Arabic, Persian, Bulgarian, Russian "
                               "or English (language not determined yet).</i></p>")  # fmt: skip
            return
        row = score([text], [lang]).iloc[0]
        weights = {**DEFAULT_WEIGHTS, **(self.weights or {})}  # the user's override some
        value = (float(tone_score(pd.DataFrame([row]), self.weights).iloc[0]) if self.weights
                 else float(row["tone_score"]))  # fmt: skip
        steps = carp(text, lang)
        self.result = {"lang": lang, **{f: bool(row[f]) for f in FEATURES}, "tone_score": value,
                       "carp": steps.steps, "carp_in_order": steps.in_order}  # fmt: skip
        chips = []
        for feature in FEATURES:
            on = bool(row[feature])
            colour = (_GOOD if weights.get(feature, 0) > 0 else _BAD) if on else _OFF
            chips.append(_chip(feature.replace("_", " "), colour, "present" if on else "absent"))
        band = str(tone_band(pd.Series([value])).iloc[0])
        carp_chips = "".join(_chip(s.replace("_", "-"), _GOOD if s in steps.steps else _OFF)
                             for s in STEPS)  # fmt: skip
        order = "all four, in order" if steps.in_order else f"{len(steps.steps)} of 4"
        self.view.value = (
            highlight(text, explain(text, lang), lang)
            + f"<p>{''.join(chips)}</p>"
            + f"<p><b>tone score</b> {value:+.2f} ({html.escape(band)}) · "
            + f"<b>language</b> {html.escape(lang)}</p>"
            + f"<p><b>CARP</b> {carp_chips} ({order})</p>"
        )

    def summary(self) -> str:
        """What the widget shows, as plain text (for printing in a notebook)."""
        from complaintlab.tone import FEATURES

        on = [f for f in FEATURES if self.result.get(f)]
        return (f"lang={self.result['lang']} tone_score={self.result['tone_score']:+.2f} "
                f"features={on} carp={list(self.result.get('carp', ()))}")  # fmt: skip


_TARGETS = ("category", "complainant_type", "severity")


def _label_sets():
    from complaintlab.corpus import CATEGORIES, COMPLAINANT_TYPES, SEVERITIES

    return {"category": tuple(CATEGORIES), "complainant_type": tuple(COMPLAINANT_TYPES),
            "severity": tuple(int(s) for s in SEVERITIES)}  # fmt: skip


class AnnotationGame(_Shown):
    """Label corpus complaints yourself, then see how you agree with the gold labels.

    ``n`` complaints (a seeded sample, optionally of one language) are shown one at a time;
    the participant picks category, complainant type and severity and presses *Submit*. After
    each answer the gold labels and the running agreement appear. ``labels`` holds the answers
    (one row per complaint), ``to_csv`` saves them for the facilitator, and
    :func:`room_agreement` combines the files of a whole room.

    Examples
    --------
    >>> game = AnnotationGame(lang="he", n=3, seed=1, annotator="dana")
    >>> first = game.current["complaint_id"]
    >>> feedback = game.answer("billing", "reasonable", 2)
    >>> feedback["complaint_id"] == first, len(game.labels), game.remaining
    (True, 1, 2)
    """

    def __init__(self, lang: str | None = None, n: int = 10, seed: int = 0,
                 annotator: str = "participant"):  # fmt: skip
        from complaintlab.corpus import load_complaints
        from complaintlab.text import check_lang

        lang = check_lang(lang, "AnnotationGame", allow_und=False)
        data = load_complaints()
        if lang:
            data = data[data["lang"] == lang]
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= len(data):
            raise ValueError(f"n must be between 1 and {len(data)}; got {n!r}")
        if not isinstance(annotator, str):
            raise TypeError(f"annotator must be a name (a str), got {type(annotator).__name__}: "
                            f"{annotator!r}")  # fmt: skip
        if any("\ud800" <= c <= "\udfff" for c in annotator):
            raise ValueError(f"annotator {annotator!r} holds a lone surrogate (half of a "
                             "character, not text); give a name in plain Unicode")  # fmt: skip
        if not str(annotator).strip():
            raise ValueError("annotator needs a name (it identifies the participant's labels)")
        if str(annotator).strip().lower() == "gold":
            raise ValueError("'gold' is reserved for the corpus's own labels: pick another name")
        order = np.random.default_rng(seed).permutation(len(data))[:n]
        self.items = data.iloc[order].reset_index(drop=True)
        self.annotator = str(annotator)
        self._answers: list[dict] = []
        w = _widgets()
        sets = _label_sets()
        self.pickers = {t: w.Dropdown(options=list(sets[t]), description=t.replace("_", " "))
                        for t in _TARGETS}  # fmt: skip
        self.submit = w.Button(description="Submit", button_style="primary")
        self.submit.on_click(lambda _: self.answer(*(self.pickers[t].value for t in _TARGETS)))
        self.view = w.HTML()
        self.feedback = w.HTML()
        self.widget = w.VBox([self.view, *self.pickers.values(), self.submit, self.feedback])
        self._show()

    def __repr__(self) -> str:
        return (f"AnnotationGame(annotator={self.annotator!r}, answered={len(self._answers)}, "
                f"remaining={self.remaining})")  # fmt: skip

    @property
    def remaining(self) -> int:
        return len(self.items) - len(self._answers)

    @property
    def current(self) -> pd.Series | None:
        """The complaint on screen (None when all are labelled)."""
        return self.items.iloc[len(self._answers)] if self.remaining else None

    def _show(self) -> None:
        item = self.current
        if item is None:
            self.view.value = "<p><b>All done.</b> Save your labels with <code>to_csv</code>.</p>"
            return
        from complaintlab.text import is_rtl

        direction = "rtl" if is_rtl(item["lang"]) else "auto"
        self.view.value = (f"<p>{len(self._answers) + 1} of {len(self.items)} · "
                           f"{html.escape(str(item['complaint_id']))}</p>"
                           f'<div dir="{direction}" style="unicode-bidi: plaintext; '
                           f'border-left: 3px solid #999; padding-left: 8px">'
                           f"{html.escape(str(item['text']))}</div>")  # fmt: skip

    def answer(self, category, complainant_type, severity) -> dict:
        """Record the participant's labels for the complaint on screen and move on."""
        if self.current is None:
            raise ValueError("every complaint is already labelled")
        level = severity
        if isinstance(severity, str) and severity.strip().isdigit():
            level = int(severity)
        if isinstance(level, bool) or not isinstance(level, (int, np.integer)):
            levels = list(_label_sets()["severity"])
            raise ValueError(f"severity {severity!r} is not one of {levels}")
        given = {"category": category, "complainant_type": complainant_type,
                 "severity": int(level)}  # fmt: skip
        for target, value in given.items():
            if value not in _label_sets()[target]:
                raise ValueError(f"{target} {value!r} is not one of {list(_label_sets()[target])}")
        item = self.current
        gold = {t: (int(item[t]) if t == "severity" else str(item[t])) for t in _TARGETS}
        self._answers.append({"annotator": self.annotator,
                              "complaint_id": str(item["complaint_id"]), **given})  # fmt: skip
        marks = " · ".join(f"{t.replace('_', ' ')}: yours {html.escape(str(given[t]))}, gold "
                           f"{html.escape(str(gold[t]))} {'✓' if given[t] == gold[t] else '✗'}"
                           for t in _TARGETS)  # fmt: skip
        table = self.agreement()
        self.feedback.value = f"<p>{marks}</p>" + html_table(table, caption="you vs gold so far")
        self._show()
        return {"complaint_id": str(item["complaint_id"]), "yours": given, "gold": gold}

    @property
    def labels(self) -> pd.DataFrame:
        """The answers so far: annotator, complaint_id and the three labels."""
        return pd.DataFrame(self._answers, columns=["annotator", "complaint_id", *_TARGETS])

    def agreement(self) -> pd.DataFrame:
        """Per label: how many answered, the share matching gold, and Cohen's kappa."""
        from sklearn.metrics import cohen_kappa_score

        gold = self.items.set_index(self.items["complaint_id"].astype(str))
        rows = []
        for target in _TARGETS:
            mine = self.labels[target].astype(str).tolist()
            truth = [str(int(v)) if target == "severity" else str(v)
                     for v in gold.loc[self.labels["complaint_id"], target]]  # fmt: skip
            same = sum(a == b for a, b in zip(mine, truth, strict=True))
            varied = len(set(mine) | set(truth)) > 1
            kappa = cohen_kappa_score(mine, truth) if len(mine) > 1 and varied else np.nan
            rows.append({"label": target, "answered": len(mine),
                         "agree": round(same / len(mine), 3) if mine else np.nan,
                         "kappa": round(float(kappa), 3)})  # fmt: skip
        return pd.DataFrame(rows)

    def to_csv(self, path, *, neutralize: bool = True) -> None:
        """Save the labels for the facilitator (CSV, UTF-8, one row per answer).

        By default text that a spreadsheet would run as a formula (an annotator name such as
        ``=HYPERLINK(...)``) gets a leading ``'`` (see :func:`complaintlab.export.to_csv`);
        ``neutralize=False`` writes it as it is. :func:`room_agreement` reads either.
        """
        from complaintlab.export import to_csv

        to_csv(self.labels, path, neutralize=neutralize)


def room_agreement(sources, with_gold: bool = True, by_lang: bool = False) -> pd.DataFrame:
    """Agreement of a whole room: kappa and Krippendorff's alpha over everyone's labels.

    ``sources``: DataFrames or CSV paths saved by :meth:`AnnotationGame.to_csv` (columns
    ``annotator``, ``complaint_id``, ``category``, ``complainant_type``, ``severity``; the
    apostrophe ``to_csv`` puts before formula-like text is taken off again). With
    ``with_gold`` the corpus's gold labels join as one more annotator, ``gold``. Rows with an
    unknown complaint or label raise a :class:`~complaintlab.errors.DatasetError` listing them.

    Examples
    --------
    >>> a = AnnotationGame(n=4, seed=2, annotator="a")
    >>> b = AnnotationGame(n=4, seed=2, annotator="b")
    >>> for game in (a, b):
    ...     for _ in range(4):
    ...         _ = game.answer("billing", "reasonable", 2)
    >>> table = room_agreement([a.labels, b.labels])
    >>> int(table.loc["all", "annotators"]), int(table.loc["all", "items"])
    (3, 4)
    """
    from complaintlab.corpus import load_complaints
    from complaintlab.errors import DatasetError
    from complaintlab.export import restore
    from complaintlab.taxonomy import annotation_agreement

    frames = []
    for source in sources if isinstance(sources, (list, tuple)) else [sources]:
        frame = source
        if not isinstance(source, pd.DataFrame):
            frame = restore(pd.read_csv(source, dtype=str))
        frames.append(frame.astype({c: str for c in frame.columns}))
    if not frames:
        raise ValueError("room_agreement needs at least one participant's labels")
    labels = pd.concat(frames, ignore_index=True)
    columns = ["annotator", "complaint_id", *_TARGETS]
    missing = [c for c in columns if c not in labels.columns]
    if missing:
        raise DatasetError("labels", [f"missing column {c!r}" for c in missing])
    gold = load_complaints()
    known = set(gold["complaint_id"].astype(str))
    sets = {t: {str(v) for v in values} for t, values in _label_sets().items()}
    problems = [f"row {i}: unknown complaint_id {row.complaint_id!r}"
                for i, row in labels.iterrows() if row.complaint_id not in known]  # fmt: skip
    for target in _TARGETS:
        problems += [f"row {i}: {target} {v!r} is not one of {sorted(sets[target])}"
                     for i, v in labels[target].items() if v not in sets[target]]  # fmt: skip
    twice = labels[labels.duplicated(["annotator", "complaint_id"], keep=False)]
    problems += [f"annotator {a!r} labelled {c!r} more than once (two participants with one "
                 "name?)" for a, c in sorted(set(zip(twice["annotator"], twice["complaint_id"],
                                                     strict=True)))]  # fmt: skip
    if (labels["annotator"].str.strip().str.lower() == "gold").any():
        problems.append("'gold' is reserved for the corpus's labels: rename that annotator")
    if problems:
        raise DatasetError("labels", problems)
    if labels["annotator"].nunique() + bool(with_gold) < 2:
        raise ValueError("agreement needs at least two annotators (or one and with_gold=True)")
    if with_gold:
        ids = labels["complaint_id"].unique()
        rows = gold[gold["complaint_id"].astype(str).isin(ids)]
        labels = pd.concat([labels, pd.DataFrame({
            "annotator": "gold", "complaint_id": rows["complaint_id"].astype(str),
            **{t: rows[t].astype(str) for t in _TARGETS}})], ignore_index=True)  # fmt: skip
    return annotation_agreement(labels[columns], by_lang=by_lang)


class FollowUpSimulator(_Shown):
    """Sliders for follow-up rate and delay, response time and compensation mix vs a baseline.

    Each change re-simulates ``n`` cases (same seed) with
    :func:`complaintlab.simulate.simulate_cases` and compares 90-day retention, disputes,
    satisfaction and word of mouth with the baseline: the sliders' starting positions (the
    simulation's defaults, with a 52-hour follow-up delay). In this widget a follow-up's
    effect halves for every ``half_life_days`` of delay (the simulation's default is no decay).

    Examples
    --------
    >>> sim = FollowUpSimulator(n=5_000)
    >>> sim.set(follow_up_rate=0.9)
    >>> bool(sim.table.loc["kept after 90 days", "change"] > 0)
    True
    """

    METRICS = ("kept after 90 days", "disputes", "mean satisfaction (1-5)",
               "unhappy customers (csat 1-2)",
               "people reached by word of mouth, per 100 cases")  # fmt: skip

    def __init__(self, n: int = 20_000, seed: int = 0, half_life_days: float = 14.0):
        w = _widgets()
        self.n, self.seed, self.half_life_days = n, seed, half_life_days
        style = {"description_width": "190px"}
        wide = w.Layout(width="520px")

        def slider(cls, description, **kw):
            return cls(description=description, style=style, layout=wide,
                       continuous_update=False, **kw)  # fmt: skip

        self.controls = {
            "follow_up_rate": slider(w.FloatSlider, "follow-up rate", min=0.05, max=0.95,
                                     step=0.05, value=0.35),
            "follow_up_delay_hours": slider(w.IntSlider, "follow-up delay (hours)", min=4,
                                            max=504, step=4, value=52),
            "response_time_scale": slider(w.FloatSlider, "response time (× usual)", min=0.25,
                                          max=4.0, step=0.25, value=1.0),
            "set_mix": w.Checkbox(description="set the compensation mix", value=False),
            "none": slider(w.FloatSlider, "mix: none", min=0, max=1, step=0.05, value=0.25),
            "apology": slider(w.FloatSlider, "mix: apology", min=0, max=1, step=0.05, value=0.25),
            "discount": slider(w.FloatSlider, "mix: discount", min=0, max=1, step=0.05, value=0.25),
            "refund": slider(w.FloatSlider, "mix: refund", min=0, max=1, step=0.05, value=0.25),
        }  # fmt: skip
        self.view = w.HTML()
        self.widget = w.VBox([*self.controls.values(), self.view])
        self._baseline = self._metrics(self._params(baseline=True))
        for control in self.controls.values():
            control.observe(lambda _: self._update(), names="value")
        self._update()

    def __repr__(self) -> str:
        values = {k: c.value for k, c in self.controls.items()}
        return f"FollowUpSimulator(n={self.n}, seed={self.seed}, {values})"

    def set(self, **values) -> None:
        """Move sliders by name (``follow_up_rate=0.8``, ``set_mix=True``, ``refund=0.6`` ...)."""
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(f"unknown control(s) {unknown}; controls: {list(self.controls)}")
        for name, value in values.items():
            control = self.controls[name]
            low, high = getattr(control, "min", None), getattr(control, "max", None)
            if low is not None and not low <= value <= high:
                raise ValueError(f"{name} must lie between {low} and {high}; got {value!r}")
            control.value = value
        self._update()

    def _params(self, baseline: bool = False) -> dict:
        params = {"follow_up_half_life_days": self.half_life_days}
        if baseline:
            return {**params, "follow_up_delay_hours": 52.0}
        c = self.controls
        params.update(follow_up_rate=float(c["follow_up_rate"].value),
                      follow_up_delay_hours=float(c["follow_up_delay_hours"].value),
                      response_time_scale=float(c["response_time_scale"].value))  # fmt: skip
        if c["set_mix"].value:
            mix = np.array([c[k].value for k in ("none", "apology", "discount", "refund")], float)
            mix = mix / mix.sum() if mix.sum() > 0 else np.full(4, 0.25)
            params["compensation_mix"] = tuple(mix.tolist())
        return params

    def _metrics(self, params: dict) -> dict:
        from complaintlab.followup import word_of_mouth
        from complaintlab.simulate import simulate_cases

        cases = simulate_cases(self.n, seed=self.seed, **params)
        unhappy = cases["csat"] <= 2
        told = cases.loc[unhappy, "people_told"]
        reach = (word_of_mouth(told, generations=2, pass_on=0.2)["cumulative"].iloc[-1]
                 * unhappy.mean() * 100 if unhappy.any() else 0.0)  # fmt: skip
        values = (cases["retained_90d"].mean(), cases["disputed"].mean(), cases["csat"].mean(),
                  unhappy.mean(), reach)  # fmt: skip
        return dict(zip(self.METRICS, (float(v) for v in values), strict=True))

    def _update(self) -> None:
        scenario = self._metrics(self._params())
        table = pd.DataFrame({"baseline": self._baseline, "scenario": scenario})
        table["change"] = table["scenario"] - table["baseline"]
        self.table = table.round(3)
        caption = f"{self.n:,} simulated complaints, seed {self.seed}"
        self.view.value = html_table(self.table.reset_index(names="metric"), caption=caption)


class TaxonomyExplorer(_Shown):
    """Browse the corpus by language and label, with the classifiers' labels and the cues.

    Each complaint shows its gold labels, the learned classifier's
    (:func:`complaintlab.taxonomy.classify`) and the rule classifier's
    (:class:`complaintlab.taxonomy.RuleClassifier`) labels, and the cues that fired. Both were
    built on this corpus (the learned model is trained on it), so expect them to look better
    here than on new text: notebook 03 has the honest, held-out figures.

    Examples
    --------
    >>> explorer = TaxonomyExplorer()
    >>> explorer.filter(lang="fa", target="category", value="billing")
    >>> all(i.startswith("fa-") for i in explorer.ids), len(explorer.ids) > 0
    (True, True)
    >>> explorer.show(explorer.ids[0])
    >>> "gold" in explorer.html and "predicted" in explorer.html
    True
    """

    def __init__(self):
        from complaintlab.corpus import load_complaints

        w = _widgets()
        self.data = load_complaints().reset_index(drop=True)
        self.data["complaint_id"] = self.data["complaint_id"].astype(str)
        options = _language_options()
        options[0] = ("all languages", None)
        self.language = w.Dropdown(options=options, value=None, description="language")
        self.target = w.Dropdown(options=list(_TARGETS), value="category", description="label")
        self.value = w.Dropdown(options=[], description="value")
        self.choice = w.Select(options=[], rows=8, layout=w.Layout(width="100%"))
        self.view = w.HTML()
        self.widget = w.VBox([w.HBox([self.language, self.target, self.value]), self.choice,
                              self.view])  # fmt: skip
        self.ids: list[str] = []
        self.target.observe(lambda _: self._values(), names="value")
        for control in (self.language, self.value):
            control.observe(lambda _: self._list(), names="value")
        self.choice.observe(lambda change: self.show(change["new"]) if change["new"] else None,
                            names="value")  # fmt: skip
        self._values()

    def __repr__(self) -> str:
        return (f"TaxonomyExplorer(lang={self.language.value!r}, {self.target.value}="
                f"{self.value.value!r}, complaints={len(self.ids)})")  # fmt: skip

    def _values(self) -> None:
        labels = list(_label_sets()[self.target.value])
        self.value.options = [("any", None)] + [(str(v), v) for v in labels]
        self.value.value = None
        self._list()

    def filter(self, lang=None, target: str = "category", value=None) -> None:
        """Show the complaints of one language (None: all) with ``target`` equal to ``value``."""
        if target not in _TARGETS:
            raise ValueError(f"target must be one of {list(_TARGETS)}; got {target!r}")
        self.language.value = lang
        self.target.value = target
        self.value.value = value
        self._list()

    def _list(self) -> None:
        rows = self.data
        if self.language.value:
            rows = rows[rows["lang"] == self.language.value]
        if self.value.value is not None:
            column = rows[self.target.value]
            wanted = self.value.value
            rows = rows[column.astype(str) == str(wanted)]
        self.ids = rows["complaint_id"].tolist()
        pairs = zip(rows["complaint_id"], rows["text"], strict=True)
        self.choice.options = [(f"{i} · {str(t)[:60]}", i) for i, t in pairs]
        if self.ids:
            self.show(self.ids[0])
        else:
            self.view.value = "<p><i>No complaint matches.</i></p>"

    def show(self, complaint_id: str) -> None:
        """Show one complaint: text, gold labels, predicted labels and the cues that fired."""
        from complaintlab.taxonomy import RuleClassifier, classify
        from complaintlab.text import is_rtl

        match = self.data[self.data["complaint_id"] == str(complaint_id)]
        if match.empty:
            raise ValueError(f"no complaint {complaint_id!r} in the corpus")
        item = match.iloc[0]
        rules = RuleClassifier()
        by_rules = rules.predict([item["text"]], [item["lang"]]).iloc[0]
        learned = classify([item["text"]], [item["lang"]]).iloc[0]
        cues = rules.explain(item["text"], item["lang"])
        table = pd.DataFrame({"gold": [str(item[t]) for t in _TARGETS],
                              "predicted (learned, trained here)":
                                  [str(learned[t]) for t in _TARGETS],
                              "predicted (rules)": [str(by_rules[t]) for t in _TARGETS]},
                             index=list(_TARGETS)).reset_index(names="label")  # fmt: skip
        fired = pd.DataFrame(sorted((s, ", ".join(sorted(set(c)))) for s, c in cues.items()),
                             columns=["section", "cues"])  # fmt: skip
        direction = "rtl" if is_rtl(item["lang"]) else "auto"
        self.view.value = (f'<div dir="{direction}" style="unicode-bidi: plaintext">'
                           f"{html.escape(str(item['text']))}</div>"
                           + html_table(table)
                           + html_table(fired, caption="cues that fired"))  # fmt: skip

    @property
    def html(self) -> str:
        """The HTML the widget currently shows."""
        return self.view.value
