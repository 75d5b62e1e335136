"""Every decision the engine makes, in the plain words a user reads.

Kept apart from the engine so the calendar, the feed and the e-mails all quote the same
sentences, and so the wording can change without touching a rule. Month names are spelled out
here rather than with ``strftime`` so the text never depends on the server's locale.
"""

from __future__ import annotations

import datetime as dt

from planner.core import catalog
from planner.core.model import ACID_CLASSES, PAUSED_CLASSES, Area, ProductClass, ProductInput, Slot

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def short_date(day: dt.date, today: dt.date | None = None) -> str:
    """A date as "12 March", with the year only when it differs from ``today``'s."""
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return text if today is None or today.year == day.year else f"{text} {day.year}"


def in_sentence(label: str) -> str:
    """A catalog label as it reads mid-sentence: "Microneedling" → "microneedling", but brand
    names and acronyms ("HydraFacial", "IPL photofacial") keep their capitals."""
    first_word = label.split(" ", 1)[0]
    return label[:1].lower() + label[1:] if first_word[1:] == first_word[1:].lower() else label


def kind_label(kind: str) -> str:
    """A procedure kind as it reads mid-sentence ("microneedling", "IPL photofacial")."""
    if catalog.is_known(kind):
        return in_sentence(catalog.get_kind(kind).label)
    return kind.replace("_", " ")


def area_words(area: Area) -> str:
    """An area as it reads after "on": "your chest"; "" for the face, which goes without saying."""
    return "" if area is Area.FACE else f"your {area.value}"


def on_area(label: str, area: Area) -> str:
    """A procedure's label with its area when it is not the face ("laser hair removal on your body")."""
    words = area_words(area)
    return f"{label} on {words}" if words else label


def days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def ordinal_every(n: int) -> str:
    """The spacing in words, as in "at most every other night" or "at most every 3rd night"."""
    if n == 2:
        return "every other"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"every {n}{suffix}"


# -- Why a product is paused ------------------------------------------------------------------


def washout_phrase(label: str, procedure_day: dt.date, today: dt.date) -> str:
    before = (procedure_day - today).days
    return f"washout, {days(before)} before {label} on {short_date(procedure_day, today)}"


def procedure_day_phrase(label: str) -> str:
    return f"procedure day ({label})"


def after_phrase(label: str, procedure_day: dt.date, today: dt.date, window_days: int) -> str:
    k = (today - procedure_day).days
    return f"day {k} of {window_days} after {label} on {short_date(procedure_day, today)}"


def window_phrase(label: str, procedure_day: dt.date, today: dt.date, window_days: int) -> str:
    """Where ``today`` sits in one procedure's window; ``window_days`` counts the days after."""
    if today < procedure_day:
        return washout_phrase(label, procedure_day, today)
    if today == procedure_day:
        return procedure_day_phrase(label)
    return after_phrase(label, procedure_day, today, window_days)


def also_phrase(label: str, procedure_day: dt.date, today: dt.date) -> str:
    """The short mention of another window covering the same day."""
    when = short_date(procedure_day, today)
    if today < procedure_day:
        return f"washout before {label} on {when}"
    if today == procedure_day:
        return f"{label} today"
    return f"recovery after {label} on {when}"


def pause_reason(product_class: ProductClass, lead: str, others: list[str], area: Area = Area.FACE) -> str:
    """The whole reason, e.g. "no retinoid: day 3 of 7 after microneedling on 12 March (also …)",
    or "no retinoid on your chest: …" when the lead window's procedure was not on the face."""
    return pause_class(product_class) + pause_grounds(lead, others, area)


def pause_class(product_class: ProductClass) -> str:
    """The start of a pause's reason, the only part that names the class ("no retinoid")."""
    return f"no {product_class.label}"


def pause_grounds(lead: str, others: list[str], area: Area = Area.FACE) -> str:
    """The rest of a pause's reason after ``pause_class``: the same words for every class a
    window pauses that day, so the engine writes them once per day and window."""
    where = area_words(area)
    grounds = f"{' on ' + where if where else ''}: {lead}"
    return f"{grounds} (also {'; '.join(others)})" if others else grounds


# -- Markers ----------------------------------------------------------------------------------


def washout_marker(label: str, k: int, n: int, clinician: bool = False) -> str:
    return f"Washout before {label} (day {k} of {n}{CLINICIANS if clinician else ''})"


def procedure_marker(label: str) -> str:
    return f"{label[:1].upper()}{label[1:]} today"


def recovery_marker(label: str, k: int, n: int, clinician: bool = False) -> str:
    return f"Recovery after {label} (day {k} of {n}{CLINICIANS if clinician else ''})"


#: Added to a window's words when a clinician's override set its length.
CLINICIANS = ", your clinician's number"


def ramp_marker(label: str, k: int, n: int) -> str:
    return f"Exfoliants coming back gradually after {label} (day {k} of {n})"


# -- Notes ------------------------------------------------------------------------------------

AFTER_TREATMENT = "after your treatment"


def serum_starts_tomorrow(serum_kind: str, label: str) -> str:
    return f"No {serum_kind} today: serum starts tomorrow, the day after {label}."


def follow_clinician(label: str) -> str:
    return f"Evidence for {label} is thin: follow your clinician's instructions."


def procedure_day_layers() -> str:
    return "On treated skin use only what your clinician gave you or approved."


def ramp_step_note(class_label: str, unit: str, k: int, label: str, gap: int) -> str:
    return (f"{class_label} back gradually: {unit} {k} of the ramp after {label} "
            f"(at most {ordinal_every(gap)} {unit} for now)")


def ramp_rest_note(name: str, class_label: str, unit: str, label: str, gap: int) -> str:
    when = "tonight" if unit == "night" else "today"
    return (f"{name} rests {when}: {class_label} coming back gradually after {label} "
            f"(at most {ordinal_every(gap)} {unit} for now).")


def clash_note(name: str, winner: str, unit: str, why: str) -> str:
    """A day given up to a clash: the dose is not lost, it moves."""
    when = "tonight" if unit == "night" else "today"
    return f"{name} moves to the next free {unit}: {winner} has {when}, and {why}."


def moved_note(unit: str, winner: str) -> str:
    """The step of a dose that moved here from a day it gave up."""
    if not winner:
        return f"moved a {unit} so its doses keep their spacing"
    return f"moved here from a {unit} it gave up to {winner}"


def wait_note(name: str, unit: str, since: int, spacing: int) -> str:
    """A due day that comes too soon after a moved dose: it waits, it is never doubled."""
    ago = "last night" if unit == "night" and since == 1 else f"{days(since)} ago"
    return (f"{name} waits: its last dose moved to {ago}, and doses stay at least "
            f"{days(spacing)} apart.")


def clinician_number(phrase: str, overridden: bool) -> str:
    """A reason with "your clinician's number" added when a clinician's override set it."""
    return f"{phrase}, your clinician's number" if overridden else phrase


# -- Healing skin -----------------------------------------------------------------------------


def healing_hold(label: str, procedure_day: dt.date, last_held: dt.date, clinician: bool) -> str:
    """Why the home serum is held while the skin heals over (the same words every held day)."""
    number = "your clinician's number" if clinician else "until the skin has healed over, as the catalog gives it"
    return (f"No home serum through {short_date(last_held, procedure_day)} after {label} on "
            f"{short_date(procedure_day, last_held)} ({number}): the skin is open, and non-sterile "
            "products on needled or ablated skin have caused granulomas. Use only what your clinic "
            "provided or approved for healing skin.")


def held_products(names: list[str]) -> str:
    listed = ", ".join(names)
    return (f"Held while the skin heals: {listed} (not marked as provided or approved by your clinic "
            "for healing skin).")


AWAITING_APPROVAL_DAY = (
    "No exosome serum until you confirm a dermatologist approved it: your safety answers (pregnancy, "
    "breastfeeding or a history of skin cancer) call for one. Every pause around your procedures "
    "still applies."
)


def serum_product_resting(name: str) -> str:
    return (f"No exosome serum today: {name} also holds an exfoliant, so it is your serum only on the "
            "days its cadence, the windows and the ramp allow.")


def peptide_instead(reason: str) -> str:
    return f"peptide serum instead of exosomes: {reason}"


BLOCKED_REASON = "your safety answers rule out exosome serums for now"
NO_SERUM_BLOCKED = (
    "No exosome serum: your safety answers rule it out for now. A tripeptide/hexapeptide serum, "
    "studied twice daily around fractional laser, is the established alternative: add one to "
    "your products and it will take this place."
)
WITHHELD = (
    "Your exosome serum is waiting for a dermatologist's approval: your safety answers (pregnancy, "
    "breastfeeding or a history of skin cancer) call for one before using exosome serums. The pauses "
    "around your procedures are planned as usual; once they approve, confirm it in your profile and "
    "the serum appears."
)


def plan_notes(by_id: list[ProductInput], serum_name: str | None, serum_is_generic: bool, blocked: bool,
               exfoliants: list[ProductInput], awaiting: bool = False) -> tuple[str, ...]:
    """Standing explanations for the whole plan; they depend on the inputs only, never on the range."""
    notes = []
    if awaiting:
        notes.append(WITHHELD)
        blocked = True  # exosome products are left out the same way
    elif blocked:
        notes.append(NO_SERUM_BLOCKED if serum_name is None else
                     f"Exosome serums are ruled out by your safety answers, so {serum_name} takes the "
                     "serum's place: peptide serums were studied twice daily around fractional laser.")
    exosomes = [p for p in by_id if ProductClass.EXOSOME in p.classes]
    if not blocked and len(exosomes) > 1:
        notes.append(f"You have {len(exosomes)} exosome serums; the plan uses {serum_name}, once a day: "
                     "one is enough.")
    for p in exosomes:
        if blocked:
            notes.append(f"{p.name} is left out of the plan: it contains exosomes.")
        elif p.classes & PAUSED_CLASSES and p.name == serum_name:
            notes.append(f"{p.name} also contains an exfoliant, so it is your one exosome step with that "
                         "exfoliant's rules: it follows its cadence, pauses around procedures and comes "
                         "back gradually; no second exosome serum is added.")
    if not blocked and serum_is_generic:
        notes.append("Add your exosome serum to your products to see it by name.")
    evening = [p for p in exfoliants  # layering.exfoliant_slot's rule (layering imports this module)
               if ProductClass.RETINOID in p.classes or (p.slots or {p.slot or Slot.EVENING}) != {Slot.MORNING}]
    if any(ProductClass.RETINOID in p.classes for p in evening) and any(
            p.classes & ACID_CLASSES and ProductClass.RETINOID not in p.classes for p in evening):
        notes.append("A retinoid and an acid never share an evening: when both want the same night, the one "
                     "that has waited longest keeps it (then the one you use less often), and the other "
                     "moves to the next free night; no dose is doubled or made up.")
    return tuple(notes)
