"""The input the harness injects over QMP (input-send-event) in the input scenario. The guest
(tests/e2e/guest/scenarios/input_scenario.cpp) holds the evdev sequences each device must report;
both sides are written from the same list below, which is why it is kept short and literal.

QEMU routes key events to the keyboard, rel to the mouse, abs to the tablet, and buttons (and the
wheel) to the pointer that reached DRIVER_OK last: the tablet in phase 1, the mouse (re-initialised
by the guest) in phase 2. Each call ends with one SYN_REPORT per device that got events.
"""


def key(name, down):
    return {"type": "key", "data": {"down": down, "key": {"type": "qcode", "data": name}}}


def press(name):
    return [key(name, True), key(name, False)]


def btn(name, down):
    return {"type": "btn", "data": {"down": down, "button": name}}


def click(name):
    return [btn(name, True), btn(name, False)]


def rel(axis, value):
    return {"type": "rel", "data": {"axis": axis, "value": value}}


def abs_(axis, value):
    return {"type": "abs", "data": {"axis": axis, "value": value}}


PHASES = {
    "phase1": [
        press("a"),                                       # KEY_A 30
        [key("shift", True)],                             # KEY_LEFTSHIFT 42
        press("b"),                                       # KEY_B 48
        [key("shift", False)],
        press("ret"),                                     # KEY_ENTER 28
        press("f1"),                                      # KEY_F1 59
        press("1"),                                       # KEY_1 2
        [key("ctrl", True), key("alt", True), key("delete", True),
         key("delete", False), key("alt", False), key("ctrl", False)],  # 29, 56, 111
        [rel("x", 5), rel("y", -3)],                      # mouse REL_X, REL_Y
        [rel("x", -120)],
        [abs_("x", 16384), abs_("y", 100)],               # tablet ABS_X, ABS_Y
        [abs_("x", 32767), abs_("y", 32767)],
        [btn("left", True)],                              # tablet BTN_LEFT 272
        [btn("left", False)],
        [btn("wheel-up", True)],                          # tablet REL_WHEEL +1
    ],
    "phase2": [
        click("left"),                                    # mouse BTN_LEFT 272
        click("right"),                                   # BTN_RIGHT 273
        click("middle"),                                  # BTN_MIDDLE 274
        click("side"),                                    # BTN_SIDE 275
        click("extra"),                                   # BTN_EXTRA 276
        [btn("wheel-down", True)],                        # REL_WHEEL -1
        [rel("x", 1), rel("y", 1)],
    ],
}
