"""What intake does with a text: dispatch it (category, place, danger) or triage it, and why.

Two readers, one decision. The keyword rules (``classifier.py``) are precise where they match;
the trained model (``textmodel.py``) reads what the rules never met — slang, typos, paraphrase,
behaviour instead of a label. Either may find the category; the model alone says how sure we
are that the text is a report at all. A team needs a category and a place in the region (a
kecamatan, a kelurahan, a landmark, an address or coordinates): with both, and confident, the
text is dispatched. Otherwise it goes to triage with the reason the queue shows: not a report,
no category, not in the region, no place, an ambiguous place, or low confidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from services.intake.domain.address import address_in
from services.intake.domain.classifier import Classification, Classifier
from services.intake.domain.elsewhere import Elsewhere, ElsewhereFinder
from services.intake.domain.gazetteer import LocationGuess
from services.intake.domain.textmodel import Prediction, TriageModel
from shared.contracts.vocabulary import DangerFlag

# Probabilities from the model (thresholds chosen on the development set, never the held-out).
REPORT_SURE = 0.70  # a report, whatever the rules say (0.65 before 4,720 texts: noise 2.1 -> 1.4 %)
REPORT_WITH_RULE = 0.50  # a report when a keyword rule also names a category
SHORT = 8  # words: below this the model has seen too little to overrule a keyword
# The model's category is taken whenever no rule names one (its best guess dispatched 90 % of
# the development set's genuine reports, a 0.15 floor 73 %); below this it is only a guess,
# which never keeps a follow-up from its case.
CATEGORY_FIRM = 0.5
# A keyword gives way when the model is surer of another category ("nenek" in a text about a
# scavenger), also after choosing among several keywords' categories: on the development set
# (5-fold, 4,720 texts) category 84.1 -> 85.9 % against the earlier 0.35 and twice as sure.
OVERRULE = 0.15
OVERRULE_RATIO = 1.5
P1_SURE = 0.55  # the model sees immediate danger the danger words missed

NOT_A_REPORT = "bukan laporan / not a report"
NO_CATEGORY = "kategori tidak ditemukan / no category found"
ELSEWHERE = "di luar wilayah / not in the region"
NO_PLACE = "lokasi tidak jelas / unclear place"
AMBIGUOUS_PLACE = "lokasi ambigu / ambiguous place"  # a name several kecamatan share: no guess
UNSURE = "keyakinan rendah / low confidence"


@dataclass(frozen=True)
class Verdict:
    category: str | None
    location: LocationGuess | None
    address: str | None  # a street, market, mosque … the text names, when no known place
    danger_flags: tuple[DangerFlag, ...]  # every danger the text tells, shown to the team
    urgent_flags: tuple[DangerFlag, ...]  # the part happening now: these make a P1
    model_danger: str | None  # why the model sees immediate danger, when the words did not
    mentions_alone: bool
    mentions_night: bool
    mentions_infant_alone: bool
    elsewhere: Elsewhere | None
    triage_reason: str | None  # None: a team can go
    explanation: tuple[str, ...] = field(default=())  # what weighed, for the operator
    report_probability: float | None = None
    category_guessed: bool = False  # the model's category, not sure (see CATEGORY_FIRM)
    # What the two readers saw, for the call-center suggestions (not part of the decision).
    rules: Classification | None = field(default=None, compare=False, repr=False)
    reading: tuple[Prediction, Prediction, Prediction] | None = field(
        default=None, compare=False, repr=False
    )  # the model's (report, category, P1)

    @property
    def dispatch(self) -> bool:
        return self.triage_reason is None


def decide(
    text: str,
    classifier: Classifier,
    model: TriageModel | None,
    elsewhere: ElsewhereFinder | None,
    *,
    has_place: bool = False,
    category: str | None = None,
) -> Verdict:
    """``has_place``: the submission itself carries a place (kecamatan, address, coordinates);
    ``category``: the operator chose one (a call-center report is a report)."""
    found = classifier.classify(text)
    explanation = [f"kata kunci / keywords: {', '.join(found.matched)}"] if found.matched else []
    rule_category = found.category.code if found.category else None
    report_p = None
    model_category = model_danger = None
    model_sure = 0.0
    short = len(text.split()) < SHORT
    reading = None
    if model is not None:
        reading = report, guess, danger = model.read(text)
        report_p = report.probabilities.get("True", 0.0)
        explanation.append(f"laporan / report {report_p:.0%}: {report.words}")
        model_category, model_sure = guess.label, guess.probability
        explanation.append(f"model: {guess.explain()}")
        sure = danger.probabilities.get("True", 0.0) >= P1_SURE
        # A child named is no danger by itself (P2): the model may still see one the words missed.
        if sure and not set(found.urgent_flags) - {DangerFlag.CHILD} and not short:
            model_danger = danger.words
    if reading is not None and len(found.candidates) > 1:
        # Keywords name several groups ("pemulung lansia", "anak mengemis"): the model, which
        # has read how such texts are labelled, chooses among them.
        rule_category = max(found.candidates, key=lambda c: reading[1].probabilities.get(c, 0.0))
    if reading is not None and rule_category and not short:
        rule_p = reading[1].probabilities.get(rule_category, 0.0)
        if model_sure >= OVERRULE and model_sure >= OVERRULE_RATIO * rule_p:
            rule_category = model_category  # a lone keyword in a text the model reads otherwise
    chosen = category or rule_category or model_category
    place = found.location
    ambiguous = place is not None and place.ambiguous
    if ambiguous and place is not None:
        explanation.append(f"{AMBIGUOUS_PLACE}: {', '.join(place.candidates)}")
    address = address_in(text) if place is None else None
    here = place is not None and not ambiguous
    other = elsewhere.find(text, here=here) if elsewhere is not None else None
    reason = _reason(
        operator=category is not None,
        rule=rule_category is not None,
        short=short,
        chosen=chosen,
        report_p=report_p,
        other=other,
        placed=has_place or here or address is not None,
        ambiguous=ambiguous,
    )
    kept = chosen if reason != NOT_A_REPORT else None
    flags, urgent = found.danger_flags, found.urgent_flags
    if kept and kept.startswith("anak") and DangerFlag.CHILD not in flags:
        flags, urgent = (*flags, DangerFlag.CHILD), (*urgent, DangerFlag.CHILD)  # the model's
    return Verdict(
        category=kept,
        location=place,
        address=address,
        danger_flags=flags,
        urgent_flags=urgent,
        model_danger=model_danger,
        mentions_alone=found.mentions_alone,
        mentions_night=found.mentions_night,
        mentions_infant_alone=found.mentions_infant_alone,
        elsewhere=other,
        triage_reason=reason,
        explanation=tuple(explanation),
        report_probability=report_p,
        category_guessed=chosen is not None
        and chosen == model_category
        and not (category or rule_category)
        and model_sure < CATEGORY_FIRM,
        rules=found,
        reading=reading,
    )


def _reason(
    *,
    operator: bool,
    rule: bool,
    short: bool,
    chosen: str | None,
    report_p: float | None,
    other: Elsewhere | None,
    placed: bool,
    ambiguous: bool = False,
) -> str | None:
    if not operator and report_p is not None:
        if report_p < REPORT_WITH_RULE and not (rule and short):
            return NOT_A_REPORT
        if not rule and report_p < REPORT_SURE:
            return UNSURE
    if other is not None:
        return ELSEWHERE
    if chosen is None:
        return NO_CATEGORY
    if not placed:
        return AMBIGUOUS_PLACE if ambiguous else NO_PLACE
    return None
