"""README's gui command: `./run.sh gui --dr --exit` on a virtual X server, its start script
(Scripts/gui_start.py) asked for a report of what the GUI shows. The GUI must come up with the
plugin loaded at start (from the build's plugin configuration file, no path given), the state's
pipeline and its four views, and a layout that renders the state (its screenshot compared with
the state's baseline). Fails, never skips, when Xvfb or paraview is missing."""

import os
import shutil

import gs_testing as t
import picture_compare

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
    env = dict(os.environ, GS_BUILD_DIR=args.build_dir, GS_GUI_REPORT=report_path)
    for name in ("PV_PLUGIN_CONFIG_FILE", "PV_PLUGIN_PATH", "GS_GUI_STATE"):
        env.pop(name, None)  # run.sh gui must find the plugin and the state itself
    # --dr: no saved settings, so no first-start dialog waits for a click.
    report = t.gui_report([args.run_sh, "gui", "--dr", "--exit"], env, report_path,
                          (png, report_path), "./run.sh gui", "the GUI's start script")
    if report is None:
        return
    t.check(report.get("ok"), "the start script opened the state %s" % report.get("exception", ""))
    t.check(report.get("plugin_loaded"), "the plugin was loaded at ParaView's start")
    sources = set(report.get("sources", []))
    t.check(PIPELINE <= sources, "the pipeline shows the state's objects (missing: %s)" % (
        ", ".join(sorted(PIPELINE - sources)) or "none"))
    t.check(report.get("views", 0) >= 4, "the state's four views (%s)" % report.get("views"))
    picture_compare.check_picture(t.check, png, args.baseline)  # the layout renders the state


t.run(main)
