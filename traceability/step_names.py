"""The names people read for business steps and our operations, instead of the stored vocabulary words.

Events store GS1 CBV words ("commissioning", "repackaging") and our own
(catalog.OWN_BIZ_STEPS); pages show these names, translated when rendered.
An operation (harvest, split, ship...) says more than the step it was stored
under, so it names the event when it has a name of its own.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.messages import N_, Message

_ENGLISH_NAMES = {
    # Our own steps (catalog.OWN_BIZ_STEPS).
    "drying": N_("Drying"),
    "sun_drying": N_("Sun drying"),
    "threshing": N_("Threshing"),
    "steaming": N_("Steaming"),
    "shelling": N_("Shelling"),
    "peeling": N_("Peeling"),
    "grading": N_("Grading"),
    "cleaning": N_("Cleaning"),
    "sizing": N_("Sizing"),
    "winnowing": N_("Winnowing"),
    "sterilising": N_("Sterilising"),
    "tapping": N_("Tapping"),
    "coagulation": N_("Coagulation"),
    "creping": N_("Creping"),
    "crumbling": N_("Crumbling"),
    "baling": N_("Baling"),
    "fermenting": N_("Fermenting"),
    "sorting": N_("Sorting"),
    "smoking": N_("Smoking"),
    "soaking": N_("Soaking"),
    "retting": N_("Retting"),
    "separating_apple": N_("Separating the cashew apple"),
    # GS1 CBV 2.0 steps (catalog.CBV_BIZ_STEPS), named for what they mean on this platform.
    "commissioning": N_("Harvest"),
    "repackaging": N_("Split or merge"),
    "shipping": N_("Shipping"),
    "receiving": N_("Receiving"),
    "stock_taking": N_("Quantity corrected"),
    "decommissioning": N_("Removed"),
    "accepting": N_("Accepting"),
    "arriving": N_("Arriving"),
    "assembling": N_("Assembling"),
    "collecting": N_("Collecting"),
    "consigning": N_("Consigning"),
    "creating_class_instance": N_("Creating a product class"),
    "cycle_counting": N_("Cycle counting"),
    "departing": N_("Departing"),
    "destroying": N_("Destroying"),
    "disassembling": N_("Disassembling"),
    "dispensing": N_("Dispensing"),
    "encoding": N_("Encoding"),
    "entering_exiting": N_("Entering or leaving"),
    "holding": N_("Holding"),
    "inspecting": N_("Inspecting"),
    "installing": N_("Installing"),
    "killing": N_("Code retired"),
    "loading": N_("Loading"),
    "other": N_("Other step"),
    "packing": N_("Packing"),
    "picking": N_("Picking"),
    "removing": N_("Removing"),
    "repairing": N_("Repairing"),
    "replacing": N_("Replacing"),
    "reserving": N_("Reserving"),
    "retail_selling": N_("Retail sale"),
    "staging_outbound": N_("Ready to ship"),
    "stocking": N_("Stocking"),
    "storing": N_("Storing"),
    "transporting": N_("Transporting"),
    "unloading": N_("Unloading"),
    "unpacking": N_("Unpacking"),
    "void_shipping": N_("Shipment cancelled"),
    "sensor_reporting": N_("Sensor reading"),
    "sampling": N_("Sampling"),
}
STEP_NAMES = {step: _l(name) for step, name in _ENGLISH_NAMES.items()}


def step_message(step: str) -> Message:
    """The step's name inside a message: English where the message is made (the API's), translated where shown."""
    return Message("step_name", _ENGLISH_NAMES.get(step, step.replace("_", " ").capitalize()))


# The steps offered on the step, transformation and correction forms, in the order they are listed there (the rest
# are named for events recorded through the API); a name is given once, in STEP_NAMES.
STEP_CHOICES = {
    step: STEP_NAMES[step]
    for step in (
        "sun_drying",
        "drying",
        "threshing",
        "winnowing",
        "cleaning",
        "sorting",
        "grading",
        "steaming",
        "shelling",
        "peeling",
        "sterilising",
        "tapping",
        "coagulation",
        "creping",
        "crumbling",
        "baling",
        "inspecting",
        "storing",
        "packing",
        "sampling",
        "loading",
        "unloading",
        "holding",
    )
}

OPERATION_NAMES = {
    "harvest": _l("Harvested"),
    "split": _l("Split into smaller lots"),
    "merge": _l("Lots pooled together"),
    "ship": _l("Shipped"),
    "receive": _l("Received"),
    "recall": _l("Recalled"),
    "correct": _l("Correction"),
}


def step_name(step: str):
    """A step's name; a word we have no name for is shown readable rather than as a code."""
    return STEP_NAMES.get(step) or step.replace("_", " ").capitalize()


def event_name(operation: str | None, step: str):
    """What a person reads as an event's title: the operation's name if it has one, else the step's."""
    return OPERATION_NAMES.get(operation or "") or step_name(step)
