"""The names people read for business steps and our operations, instead of the stored vocabulary words.

Events store GS1 CBV words ("commissioning", "repackaging") and our own
(catalog.OWN_BIZ_STEPS); pages show these names, translated when rendered.
An operation (harvest, split, ship...) says more than the step it was stored
under, so it names the event when it has a name of its own.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STEP_NAMES = {
    # Our own steps (catalog.OWN_BIZ_STEPS).
    "drying": _l("Drying"),
    "sun_drying": _l("Sun drying"),
    "threshing": _l("Threshing"),
    "steaming": _l("Steaming"),
    "shelling": _l("Shelling"),
    "peeling": _l("Peeling"),
    "grading": _l("Grading"),
    "cleaning": _l("Cleaning"),
    "sizing": _l("Sizing"),
    "winnowing": _l("Winnowing"),
    "sterilising": _l("Sterilising"),
    "tapping": _l("Tapping"),
    "coagulation": _l("Coagulation"),
    "creping": _l("Creping"),
    "crumbling": _l("Crumbling"),
    "baling": _l("Baling"),
    "fermenting": _l("Fermenting"),
    "sorting": _l("Sorting"),
    "smoking": _l("Smoking"),
    "soaking": _l("Soaking"),
    "retting": _l("Retting"),
    "separating_apple": _l("Separating the cashew apple"),
    # GS1 CBV 2.0 steps (catalog.CBV_BIZ_STEPS), named for what they mean on this platform.
    "commissioning": _l("Harvest"),
    "repackaging": _l("Split or merge"),
    "shipping": _l("Shipping"),
    "receiving": _l("Receiving"),
    "stock_taking": _l("Quantity corrected"),
    "decommissioning": _l("Removed"),
    "accepting": _l("Accepting"),
    "arriving": _l("Arriving"),
    "assembling": _l("Assembling"),
    "collecting": _l("Collecting"),
    "consigning": _l("Consigning"),
    "creating_class_instance": _l("Creating a product class"),
    "cycle_counting": _l("Cycle counting"),
    "departing": _l("Departing"),
    "destroying": _l("Destroying"),
    "disassembling": _l("Disassembling"),
    "dispensing": _l("Dispensing"),
    "encoding": _l("Encoding"),
    "entering_exiting": _l("Entering or leaving"),
    "holding": _l("Holding"),
    "inspecting": _l("Inspecting"),
    "installing": _l("Installing"),
    "killing": _l("Code retired"),
    "loading": _l("Loading"),
    "other": _l("Other step"),
    "packing": _l("Packing"),
    "picking": _l("Picking"),
    "removing": _l("Removing"),
    "repairing": _l("Repairing"),
    "replacing": _l("Replacing"),
    "reserving": _l("Reserving"),
    "retail_selling": _l("Retail sale"),
    "staging_outbound": _l("Ready to ship"),
    "stocking": _l("Stocking"),
    "storing": _l("Storing"),
    "transporting": _l("Transporting"),
    "unloading": _l("Unloading"),
    "unpacking": _l("Unpacking"),
    "void_shipping": _l("Shipment cancelled"),
    "sensor_reporting": _l("Sensor reading"),
    "sampling": _l("Sampling"),
}

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
