"""GUI smoke test: runs the ParaView GUI under Xvfb with gui_script.py, then checks its report
and that the screenshot shows a pattern (not a blank or single-colour image). Fails, never
skips, when Xvfb or paraview is missing."""

import os
import shutil

import gs_testing as t
from vtkmodules.vtkIOImage import vtkPNGReader


def main():
    def extra(parser):
        parser.add_argument("--paraview", required=True)
        parser.add_argument("--script", required=True)
        parser.add_argument("--output-dir", required=True)

    args = t.parse_args(extra)
    xvfb = shutil.which("Xvfb")
    paraview = shutil.which(args.paraview)
    t.check(xvfb is not None, "Xvfb is installed (package xvfb)")
    t.check(paraview is not None, "the ParaView GUI is installed (%s)" % args.paraview)
    if not (xvfb and paraview):
        return

    os.makedirs(args.output_dir, exist_ok=True)
    png = os.path.join(args.output_dir, "gui_smoke.png")
    report_path = os.path.join(args.output_dir, "gui_smoke.json")
    env = dict(os.environ, GS_PLUGIN=os.path.abspath(args.plugin), GS_SCREENSHOT=png,
               GS_REPORT=report_path)
    command = [paraview, "--dr", "--script=" + os.path.abspath(args.script), "--exit"]
    report = t.gui_report(command, env, report_path, (png, report_path), "paraview",
                          "the GUI script")
    if report is None:
        return
    t.check(report.get("ok"), "the GUI script ran without an exception %s" % report.get("exception", ""))
    t.check(report.get("plugin_loaded"), "the GUI loaded the plugin")
    t.check(report.get("menu_category") == "Gray-Scott", "listed in the Gray-Scott menu")
    t.check(report.get("time_steps") == [0.0, 2000.0, 4000.0, 6000.0],
            "the GUI sees the time steps %s" % report.get("time_steps"))
    t.check(report.get("shown_steps") == 6000, "the animation's last frame shows 6000 steps")
    t.check(report.get("colored_by") == "v", "coloured by v")

    t.check(os.path.exists(png), "the screenshot exists")
    if not os.path.exists(png):
        return
    reader = vtkPNGReader()
    reader.SetFileName(png)
    reader.Update()
    image = reader.GetOutput()
    t.check(tuple(image.GetDimensions()[:2]) == (640, 640), "the screenshot is 640 x 640")
    pixels = image.GetPointData().GetScalars()
    n = pixels.GetNumberOfTuples()
    colours = set()
    grey = []
    for i in range(0, n, 7):
        rgb = tuple(int(pixels.GetComponent(i, c)) for c in range(3))
        colours.add(rgb)
        grey.append(sum(rgb) / 3.0)
    mean = sum(grey) / len(grey)
    std = (sum((g - mean) ** 2 for g in grey) / len(grey)) ** 0.5
    t.check(len(colours) >= 50, "the screenshot has %d distinct colours (>= 50)" % len(colours))
    t.check(std > 10.0, "the screenshot's brightness varies (std %.1f > 10)" % std)


t.run(main)
