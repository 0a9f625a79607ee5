"""README's gui command: `./run.sh gui --dr --exit` on a virtual X server, its start script
(Scripts/gui_start.py) asked for a report of what the GUI shows. The GUI must come up with the
plugin loaded at start (from the build's plugin configuration file, no path given), the state's
pipeline and its four views, and a layout that renders the state (its screenshot compared with
the state's baseline). Fails, never skips, when Xvfb or paraview is missing."""

import json
import os
import shutil

import gs_testing as t
import picture_compare
from gs_scripts import run_with_display

# The state's pipeline (Scripts/make_state.py names every object).
PIPELINE = {"Target", "Landscape", "WarpedLogps", "Curves", "Descent", "Pattern3D", "Spots3D",
            "Landscape3D", "LogpsShell"}


def main():
    def extra(parser):
        parser.add_argument("--run-sh", required=True)
        parser.add_argument("--build-dir", required=True)
        parser.add_argument("--baseline", required=True)
        parser.add_argument("--output-dir", required=True)

    args = t.parse_args(extra)
    t.check(shutil.which("Xvfb") is not None, "Xvfb is installed (package xvfb)")
    t.check(shutil.which("paraview") is not None, "the ParaView GUI is installed")
    os.makedirs(args.output_dir, exist_ok=True)
    png = os.path.join(args.output_dir, "gui_ready.png")  # gui_start.py: the report's name
    report_path = os.path.join(args.output_dir, "gui_ready.json")
    for path in (png, report_path):
        if os.path.exists(path):
            os.remove(path)
    env = dict(os.environ, GS_BUILD_DIR=args.build_dir, GS_GUI_REPORT=report_path)
    for name in ("PV_PLUGIN_CONFIG_FILE", "PV_PLUGIN_PATH", "GS_GUI_STATE"):
        env.pop(name, None)  # run.sh gui must find the plugin and the state itself
    # --dr: no saved settings, so no first-start dialog waits for a click.
    command = [args.run_sh, "gui", "--dr", "--exit"]
    print("running: " + " ".join(command))
    status, _ = run_with_display(command, env)
    t.check(status == 0, "./run.sh gui exited with 0 (%d)" % status)

    t.check(os.path.exists(report_path), "the GUI's start script wrote its report")
    if not os.path.exists(report_path):
        return
    with open(report_path) as f:
        report = json.load(f)
    t.check(report.get("ok"), "the start script opened the state %s" % report.get("exception", ""))
    t.check(report.get("plugin_loaded"), "the plugin was loaded at ParaView's start")
    sources = set(report.get("sources", []))
    t.check(PIPELINE <= sources, "the pipeline shows the state's objects (missing: %s)" % (
        ", ".join(sorted(PIPELINE - sources)) or "none"))
    t.check(report.get("views", 0) >= 4, "the state's four views (%s)" % report.get("views"))
    picture_compare.check_picture(t.check, png, args.baseline)  # the layout renders the state


t.run(main)
