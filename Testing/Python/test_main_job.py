"""The main job (Scripts/main_job.py, README's first command) run with pvbatch into a folder:
the target's files (the .vti holds u and v and the run's field data, the picture is 800 x 800
and shows a pattern), the landscape with logps and residual, the steady target and the horizon
family, the curves, every method's history, trajectory and pattern, the summary table in the
story's order (the descent fails, the residual fits with u and v and with v alone land on the
truth inside their 95% intervals, shooting works on the steady target), the horizon table (the
loss flattens as K grows), and the three pictures, each not blank and matching README's copy in
Data/ (the main job at its defaults makes README's pictures)."""

import os
import re
import shutil
import subprocess

import gs_testing as t
import picture_compare
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

    # README's pictures live in Data/ beside Scripts/.
    data_dir = os.path.join(os.path.dirname(os.path.abspath(args.script)), "..", "Data")
    story_checks(args.output_dir, result.stdout, data_dir)


METHODS = ("gradient", "residual_fit", "hybrid", "v_only", "other_solver_stencil",
           "other_solver_spectral", "shooting_paper", "shooting_steady")
# Rows of the Residual Fit filter alone: its table instead of an inversion's three outputs.
FITS = ("other_solver_stencil", "other_solver_spectral")
# README's pictures made by the main job: output name -> the copy in Data/.
PICTURES = {"landscapes.png": "main_job_landscapes.png", "horizon.png": "main_job_horizon.png",
            "patterns.png": "main_job_patterns.png"}


def table_row(stdout, method):
    """(largest relative error, 95% interval text) of a method's row in the summary, or None."""
    row = re.search(r"^\| %s \| [^|]+ \|(?: [-0-9.e+]+ \|){4} ([-0-9.e+]+) \| ([^|]+) \| "
                    r"[0-9.]+ s \|$" % method, stdout, re.M)
    return (float(row.group(1)), row.group(2).strip()) if row else None


def story_checks(folder, stdout, data_dir):
    rows = {}
    for method in METHODS:
        rows[method] = table_row(stdout, method)
        t.check(rows[method] is not None, "the summary gives %s's estimate, error and interval" % method)
        for suffix in ("_fit.csv",) if method in FITS else ("_history.csv", "_trajectory.vtp",
                                                            "_pattern.vti"):
            path = os.path.join(folder, method + suffix)
            t.check(os.path.exists(path) and os.path.getsize(path) > 0, "wrote %s%s" % (method, suffix))
    found = [m for m in METHODS if rows[m]]
    t.check(found == sorted(found, key=lambda m: stdout.index("| %s |" % m)),
            "the rows come in the story's order")
    limits = {"residual_fit": 1e-4, "v_only": 1e-3, "shooting_steady": 1e-6,
              "other_solver_spectral": 1e-6}
    for method, limit in limits.items():
        if rows[method]:
            t.check(rows[method][0] < limit, "%s's error is small (%g < %g)" % (
                method, rows[method][0], limit))
    for method in ("residual_fit", "v_only"):
        if rows[method]:
            t.check(rows[method][1].startswith("+-") and "holds the truth" in rows[method][1],
                    "%s's 95%% intervals hold the truth (%s)" % (method, rows[method][1]))
    if rows["other_solver_stencil"]:
        t.check(rows["other_solver_stencil"][0] > 1e-2 and "misses" in rows["other_solver_stencil"][1],
                "the stencil's fit of another solver's frames is biased beyond its intervals (%g, %s)"
                % rows["other_solver_stencil"])
    if rows["gradient"]:
        t.check(rows["gradient"][0] > 0.1, "the descent does not reach the truth (%g)" % rows["gradient"][0])
        t.check(rows["gradient"][1] == "-", "the descent claims no interval")

    horizons = re.findall(r"^\| ([0-9,]+) \| [-0-9.e+]+ to [-0-9.e+]+ \| F [0-9.]+, k [0-9.]+ \| "
                          r"([0-9]+)% \|$", stdout, re.M)
    t.check([k for k, _ in horizons] == ["1", "10", "100", "1,000"],
            "the horizon table has K = 1, 10, 100, 1,000 (%s)" % [k for k, _ in horizons])
    if len(horizons) == 4:
        t.check(int(horizons[-1][1]) > int(horizons[0][1]) + 10,
                "the loss flattens from K = 1 to 1,000 (%s%% to %s%% flat)" % (
                    horizons[0][1], horizons[-1][1]))

    for name, baseline in PICTURES.items():
        picture_compare.check_picture(t.check, os.path.join(folder, name),
                                      os.path.join(data_dir, baseline))
    for name in ("landscape.vti", "horizon_landscape.vti", "steady_target.vti"):
        t.check(os.path.exists(os.path.join(folder, name)), "wrote %s" % name)
    t.check(os.path.exists(os.path.join(folder, "curves.vtp")), "wrote curves.vtp")
    path = os.path.join(folder, "landscape.vti")
    if os.path.exists(path):
        reader = vtkXMLImageDataReader()
        reader.SetFileName(path)
        reader.Update()
        data = reader.GetOutput()
        t.check(data.GetPointData().GetArray("logps") is not None and
                data.GetPointData().GetArray("residual") is not None,
                "the landscape has logps and residual arrays")
    path = os.path.join(folder, "horizon_landscape.vti")
    if os.path.exists(path):
        reader = vtkXMLImageDataReader()
        reader.SetFileName(path)
        reader.Update()
        dims = tuple(reader.GetOutput().GetDimensions())
        t.check(dims == (25, 25, 4), "the horizon family is 25 x 25 x 4 (%s)" % (dims,))
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
