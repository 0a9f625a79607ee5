"""Run inside the ParaView GUI by `./run.sh gui` (paraview --script=Scripts/gui_start.py):
opens the state file GS_GUI_STATE (default Data/gray_scott.pvsm) with the plugin that ParaView
loaded at its start. With GS_GUI_REPORT set, it also writes what the GUI then shows (whether
the plugin is loaded, the pipeline's objects, the views) to that JSON file and a screenshot of
the layout beside it (.png): the test gs_pv_gui_ready reads them."""

import json
import os
import traceback

from paraview import servermanager
from paraview.simple import GetLayouts, GetSources, GetViews, LoadState, SaveScreenshot

# ParaView runs this file without __file__; run.sh starts it in the repository's folder.
state = os.environ.get("GS_GUI_STATE") or os.path.join("Data", "gray_scott.pvsm")
report_path = os.environ.get("GS_GUI_REPORT")
report = {"ok": False}
try:
    definitions = servermanager.ProxyManager().SMProxyManager.GetProxyDefinitionManager()
    report["plugin_loaded"] = definitions.HasDefinition("sources", "GrayScottSource")
    LoadState(os.path.abspath(state))
    report["sources"] = sorted(name for name, _ in GetSources().keys())
    report["views"] = len(GetViews())
    layouts = list(GetLayouts().values())
    report["layouts"] = len(layouts)
    if report_path and layouts:
        SaveScreenshot(os.path.splitext(report_path)[0] + ".png", layouts[-1],
                       ImageResolution=[1400, 1000])
    report["ok"] = True
except Exception:
    report["exception"] = traceback.format_exc()
    if not report_path:
        raise
if report_path:
    with open(report_path, "w") as f:
        json.dump(report, f)
