"""The main job (Scripts/main_job.py, README's first command) run with pvbatch into a folder:
the target's files (the .vti holds u and v and the run's field data, the picture is 800 x 800
and shows a pattern), the landscape with logps and residual, the curves, every method's
history, trajectory and pattern, both pictures, and a summary with each method's error."""

import os
import re
import shutil
import subprocess

import gs_testing as t
from paraview import servermanager
from paraview.simple import OpenDataFile, SetActiveSource
from vtkmodules.vtkIOImage import vtkPNGReader
from vtkmodules.vtkIOXML import vtkXMLImageDataReader


def main():
    def extra(parser):
        parser.add_argument("--pvbatch", required=True)
        parser.add_argument("--script", required=True)
        parser.add_argument("--output-dir", required=True)

    args = t.parse_args(extra)
    if os.path.isdir(args.output_dir):
        shutil.rmtree(args.output_dir)
    command = [args.pvbatch, args.script, "--plugin", args.plugin, "--output", args.output_dir]
    print("running: " + " ".join(command))
    result = subprocess.run(command, timeout=300, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True)
    print(result.stdout)
    t.check(result.returncode == 0, "the main job exited with 0 (%d)" % result.returncode)
    for line in ("steps taken", "status", "v range", "spots", "time"):
        t.check(re.search(r"^\s+%s\s+:" % line, result.stdout, re.M) is not None,
                "the summary reports %s" % line)
    t.check("converged (converged 1)" in result.stdout, "the summary says the run converged")

    vti = os.path.join(args.output_dir, "gray_scott_target.vti")
    png = os.path.join(args.output_dir, "gray_scott_target.png")
    t.check(os.path.exists(vti), "the .vti exists")
    t.check(os.path.exists(png), "the .png exists")
    if os.path.exists(vti):
        reader = vtkXMLImageDataReader()
        reader.SetFileName(vti)
        reader.Update()
        data = reader.GetOutput()
        t.check(tuple(data.GetDimensions()) == (128, 128, 1), "the .vti is 128 x 128 x 1")
        for name in ("u", "v"):
            array = data.GetPointData().GetArray(name)
            t.check(array is not None and array.GetDataTypeAsString() == "double",
                    "the .vti has double point array %s" % name)
        for name in ("StepsTaken", "Converged", "Parameters", "Status"):
            t.check(data.GetFieldData().GetAbstractArray(name) is not None,
                    "the .vti keeps field data %s" % name)
        t.check(t.field(data, "Converged") == 1, "the saved pattern converged")
    if os.path.exists(png):
        reader = vtkPNGReader()
        reader.SetFileName(png)
        reader.Update()
        image = reader.GetOutput()
        t.check(tuple(image.GetDimensions()[:2]) == (800, 800), "the picture is 800 x 800")
        pixels = image.GetPointData().GetScalars()
        colours = {tuple(int(pixels.GetComponent(i, c)) for c in range(3))
                   for i in range(0, pixels.GetNumberOfTuples(), 11)}
        t.check(len(colours) >= 50, "the picture has %d distinct colours (>= 50)" % len(colours))
        corners = {tuple(int(pixels.GetComponent(i, c)) for c in range(3))
                   for i in (0, 799, 800 * 799, 800 * 800 - 1)}
        t.check((255, 255, 255) not in corners, "the grid fills the picture (no background corners)")

    story_checks(args.output_dir, result.stdout)


def story_checks(folder, stdout):
    for method in ("gradient", "residual_fit", "hybrid"):
        row = re.search(r"^\| %s \| \d+ \|(?: [-0-9.e+]+ \|){4} ([-0-9.e+]+) \| [0-9.]+ s \|$" % method,
                        stdout, re.M)
        t.check(row is not None, "the summary gives %s's estimate and error" % method)
        if row and method == "residual_fit":
            t.check(float(row.group(1)) < 1e-4, "the residual fit's error is small (%s)" % row.group(1))
        if row and method == "gradient":
            t.check(float(row.group(1)) > 0.1, "the descent does not reach the truth (%s)" % row.group(1))
        for suffix in ("_history.csv", "_trajectory.vtp", "_pattern.vti"):
            t.check(os.path.getsize(os.path.join(folder, method + suffix)) > 0 if os.path.exists(
                os.path.join(folder, method + suffix)) else False, "wrote %s%s" % (method, suffix))
    for name in ("curves.vtp", "landscapes.png", "patterns.png"):
        t.check(os.path.exists(os.path.join(folder, name)), "wrote %s" % name)
    path = os.path.join(folder, "landscape.vti")
    t.check(os.path.exists(path), "wrote landscape.vti")
    if os.path.exists(path):
        reader = vtkXMLImageDataReader()
        reader.SetFileName(path)
        reader.Update()
        data = reader.GetOutput()
        t.check(data.GetPointData().GetArray("logps") is not None and
                data.GetPointData().GetArray("residual") is not None,
                "the landscape has logps and residual arrays")
    # Every data file opens again in pvpython with ParaView's own readers.
    for name in sorted(os.listdir(folder)):
        if os.path.splitext(name)[1] in (".vti", ".vtp", ".csv"):
            SetActiveSource(None)
            proxy = OpenDataFile(os.path.join(folder, name))
            data = servermanager.Fetch(proxy) if proxy is not None else None
            size = 0 if data is None else (
                data.GetNumberOfRows() if data.IsA("vtkTable") else data.GetNumberOfPoints())
            t.check(size > 0, "%s opens again with ParaView's reader (%d points or rows)" % (name, size))
    total = re.search(r"total time\s+: ([0-9.]+) s", stdout)
    t.check(total is not None and float(total.group(1)) < 300, "within 5 minutes (%s s)" % (
        total.group(1) if total else "?"))


t.run(main)
