"""Run inside the ParaView GUI (paraview --script=gui_script.py --exit) by test_gui_smoke.py.

Loads the plugin, shows a Gray-Scott Pattern coloured by v in the GUI's render view, plays
the animation to its last time step, saves a screenshot and writes a JSON report. Paths come
from the environment: GS_PLUGIN, GS_SCREENSHOT, GS_REPORT."""

import json
import os
import traceback

from paraview import servermanager
from paraview.simple import (ColorBy, GetActiveViewOrCreate, GetAnimationScene, GetDisplayProperties,
                             LoadPlugin, Render, ResetCamera, SaveScreenshot, SetActiveSource, Show)

report = {"ok": False}
try:
    LoadPlugin(os.environ["GS_PLUGIN"], remote=False, ns=globals())
    report["plugin_loaded"] = "GrayScottPattern" in globals()
    SetActiveSource(None)
    pattern = GrayScottPattern(Dimensions=[96, 96, 1], NumberOfSteps=6000,  # noqa: F821
                               OutputInterval=2000, SteadyStateTolerance=0.0)
    menu = pattern.SMProxy.GetHints().FindNestedElementByName("ShowInMenu")
    report["menu_category"] = menu.GetAttribute("category") if menu else None
    view = GetActiveViewOrCreate("RenderView")
    display = Show(pattern, view)
    ColorBy(display, ("POINTS", "v"))
    scene = GetAnimationScene()
    scene.UpdateAnimationUsingDataTimeSteps()
    report["time_steps"] = list(pattern.TimestepValues)
    scene.AnimationTime = report["time_steps"][-1]
    display.RescaleTransferFunctionToDataRange(False, True)
    view.OrientationAxesVisibility = 0
    view.InteractionMode = "2D"
    ResetCamera(view)
    Render(view)
    shown = pattern.GetClientSideObject().GetOutputDataObject(0)
    report["shown_steps"] = shown.GetFieldData().GetArray("StepsTaken").GetValue(0)
    report["colored_by"] = display.ColorArrayName[1]
    SaveScreenshot(os.environ["GS_SCREENSHOT"], view, ImageResolution=[640, 640])
    report["ok"] = True
except Exception:
    report["exception"] = traceback.format_exc()
with open(os.environ["GS_REPORT"], "w") as f:
    json.dump(report, f)
