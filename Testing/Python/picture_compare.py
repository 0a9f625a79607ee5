"""Pictures compared with their baselines, for the tests of the scripts that make README's
pictures: read a PNG, count its colours (a blank or one-colour render fails), and measure its
difference from a baseline with VTK's image difference, which tolerates the slight shifts of
rendering on other GPUs and Mesa versions."""

import os

from vtkmodules.vtkImagingCore import vtkImageDifference
from vtkmodules.vtkIOImage import vtkPNGReader

# Mean per-pixel error (0-255 scale summed over channels, after VTK's shift tolerance) allowed.
THRESHOLD = 10.0


def read(path):
    reader = vtkPNGReader()
    reader.SetFileName(path)
    reader.Update()
    return reader.GetOutput()


def colours(image, stride=7):
    """Distinct RGB colours over every stride-th pixel."""
    pixels = image.GetPointData().GetScalars()
    found = set()
    for i in range(0, pixels.GetNumberOfTuples(), stride):
        found.add(tuple(int(pixels.GetComponent(i, c)) for c in range(3)))
    return len(found)


def check_picture(check, path, baseline, min_colours=50):
    """Checks (with `check(condition, message)`) that `path` exists, is not blank, has the
    baseline's size and matches it within THRESHOLD. Returns the error (None when not
    compared)."""
    name = os.path.basename(path)
    if not check(os.path.exists(path) and os.path.getsize(path) > 0, "wrote %s" % name):
        return None
    image = read(path)
    count = colours(image)
    check(count >= min_colours, "%s is not blank (%d colours >= %d)" % (name, count, min_colours))
    if not check(os.path.exists(baseline), "%s has a baseline (%s)" % (name, baseline)):
        return None
    reference = read(baseline)
    size, expected = image.GetDimensions()[:2], reference.GetDimensions()[:2]
    if not check(size == expected, "%s is %d x %d like its baseline (%d x %d)" % (
            name, size[0], size[1], expected[0], expected[1])):
        return None
    difference = vtkImageDifference()
    difference.SetInputData(image)
    difference.SetImageData(reference)
    difference.Update()
    error = difference.GetThresholdedError()
    check(error < THRESHOLD, "%s matches its baseline (thresholded error %.3f < %g)" % (
        name, error, THRESHOLD))
    return error
