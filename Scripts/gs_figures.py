"""Figure helpers the picture scripts and the main job share: a landscape as a 2D heat map seen
from above with F and k axes, panel letters and titles, named colour bars (log where values span
decades), the bifurcation curves, markers and trajectories clipped to the window on top, a
labelled strip of patterns, and views laid out side by side in one picture.

Every panel is a render view with a parallel camera looking down z: the plot sits inside
fixed margins (title above, F labels below, k labels left, the colour bar right), so letters,
titles, axes and bars never overlap whatever the window's shape."""

import os
import sys

from paraview.simple import (Clip, ColorBy, CreateLayout, Delete, GetColorTransferFunction,
                             Disk, GetScalarBar, OutputPort, PassArrays, Render, SaveScreenshot,
                             SetActiveSource, Show, Text, Threshold, Transform)

INK = [0.1, 0.1, 0.1]
# (left, right, bottom, top) margins as fractions of a heat-map panel.
MARGINS = (0.12, 0.19, 0.25, 0.12)
# Bifurcation curves (curve_id of GrayScottBifurcationCurves): name and colour, chosen to read
# on both ends of Viridis and Inferno.
CURVES = ((0, "saddle-node", (0.0, 0.0, 0.0)), (1, "Hopf", (0.9, 0.1, 0.1)),
          (2, "Turing", (0.2, 0.85, 1.0)))
CURVE_LEGEND = "curves: black saddle-node, red Hopf, cyan Turing"
# Overlays sit above the heat map (z = 0) in this order, so nothing z-fights.
LIFT = {"curves": 0.001, "path": 0.002, "marker": 0.003, "marker_top": 0.004}
_markers = []


def place_camera(view, x_range, y_range, margins=MARGINS):
    """A parallel camera looking down z at the rectangle x_range x y_range, placed so the
    rectangle fills the view inside `margins` (fractions of the view: left, right, bottom,
    top), the same scale on both axes."""
    width, height = view.ViewSize
    left, right, bottom, top = margins
    dx, dy = x_range[1] - x_range[0], y_range[1] - y_range[0]
    scale = max(dx / (width * (1.0 - left - right)), dy / (height * (1.0 - bottom - top)))
    # The rectangle's centre in pixels, then the view's centre in data units.
    cx = x_range[0] + dx / 2.0 + (width * (0.5 - left) - (width * (1.0 - left - right)) / 2.0) * scale
    cy = y_range[0] + dy / 2.0 + (height * (0.5 - bottom) - (height * (1.0 - bottom - top)) / 2.0) * scale
    # paraview.simple resets the camera on the first render: render once, then place it.
    Render(view)
    view.InteractionMode = "2D"
    view.CameraParallelProjection = 1
    view.CameraFocalPoint = [cx, cy, 0.0]
    view.CameraPosition = [cx, cy, 100.0]
    view.CameraViewUp = [0.0, 1.0, 0.0]
    view.CameraParallelScale = height * scale / 2.0


def ticks(lo, hi, step):
    """Tick values from lo to hi at multiples of step, for labels that never crowd."""
    first = int(round(lo / step + 0.4999))
    last = int(round(hi / step - 0.4999))
    return [round(i * step, 10) for i in range(first, last + 1)]


def axes(view, x_range, y_range, x_title="F", y_title="k", x_step=0.01, y_step=0.005,
         font=18, y_ticks=None):
    """F and k axes around the window: view.AxesGrid on the window's bounds, labelled only on
    its lower and left edges, at fixed steps (or at y_ticks: the y title sits at the axis's
    middle, so a window whose middle falls on a step needs ticks clear of it)."""
    grid = view.AxesGrid
    grid.Visibility = 1
    grid.UseCustomBounds = 1
    grid.CustomBounds = [x_range[0], x_range[1], y_range[0], y_range[1], 0.0, 0.0]
    grid.FacesToRender = 4  # the z-min (x, y) face
    grid.AxesToLabel = 3  # x-min and y-min edges
    grid.ShowGrid = 0
    grid.ShowEdges = 1
    grid.ShowTicks = 1
    grid.XTitle, grid.YTitle, grid.ZTitle = x_title, y_title, ""
    grid.XAxisUseCustomLabels = grid.YAxisUseCustomLabels = 1
    grid.XAxisLabels = ticks(x_range[0], x_range[1], x_step)
    grid.YAxisLabels = y_ticks or ticks(y_range[0], y_range[1], y_step)
    grid.XTitleFontSize = grid.YTitleFontSize = font + 4
    grid.XLabelFontSize = grid.YLabelFontSize = font
    grid.GridColor = [0.2, 0.2, 0.2]
    for name in ("XTitleColor", "YTitleColor", "XLabelColor", "YLabelColor"):
        setattr(grid, name, INK)


def title(view, letter, text, font=22):
    """The panel letter and its title, top left, inside the panel's top margin."""
    label = Text(Text=("(%s) %s" % (letter, text)) if letter else text)
    shown = Show(label, view)
    shown.WindowLocation = "Upper Left Corner"
    shown.Justification = "Left"
    shown.FontSize = font
    shown.Color = INK
    return label


def note(view, text, location="Lower Left Corner", font=16):
    """A short line of small print (a legend) in a corner of the panel."""
    label = Text(Text=text)
    shown = Show(label, view)
    shown.WindowLocation = location
    shown.Justification = "Left"
    shown.FontSize = font
    shown.Color = INK
    return label


def colour_bar(view, array, name, value_range, log=False, preset="Viridis (matplotlib)",
               label_format=None):
    """The colour map of `array` (one per array name: panels showing one array share it) over
    value_range, logarithmic when asked, with a vertical bar titled `name` in the right
    margin. Returns the transfer function."""
    lut = GetColorTransferFunction(array)
    lut.ApplyPreset(preset, True)
    lut.AutomaticRescaleRangeMode = "Never"
    lo, hi = value_range
    if log:
        lo = max(lo, hi * 1e-12)  # a log scale needs positive values
        lut.UseLogScale = 1
    lut.RescaleTransferFunction(lo, hi)
    bar = GetScalarBar(lut, view)
    bar.Visibility = 1
    bar.Title = name
    bar.ComponentTitle = ""
    bar.HorizontalTitle = 1
    bar.WindowLocation = "Any Location"
    bar.Orientation = "Vertical"
    bar.Position = [1.0 - MARGINS[1] + 0.035, MARGINS[2]]
    bar.ScalarBarLength = 1.0 - MARGINS[2] - MARGINS[3] - 0.08
    bar.ScalarBarThickness = 18
    bar.TitleColor = bar.LabelColor = INK
    bar.TitleFontSize = 18
    bar.LabelFontSize = 16
    bar.AddRangeLabels = 1
    fmt = label_format or ("%.0e" if log else "%.3g")
    bar.RangeLabelFormat = fmt
    bar.AutomaticLabelFormat = 0
    bar.LabelFormat = fmt
    return lut


def heat_map(view, source, array, window, name, log=False, preset="Viridis (matplotlib)",
             value_range=None, z=0.0, y_ticks=None):
    """`array` of an image over window = (x_range, y_range) seen from above: a Slice of the
    image coloured by the array, with axes and a named colour bar. An image at height z (a
    slice of a volume) is drawn at z = 0."""
    if z:
        source = lifted(source, -z)
    shown = Show(source, view)
    # Surface: each value at its grid point, colours interpolated between (a Slice would
    # stretch the points' values over the bounds as texels, half a cell off).
    shown.Representation = "Surface"
    shown.Ambient, shown.Diffuse, shown.Specular = 1.0, 0.0, 0.0  # the colour map's own colours
    ColorBy(shown, ("POINTS", array))
    if value_range is None:
        source.UpdatePipeline()
        value_range = source.PointData[array].GetRange()
    lut = colour_bar(view, array, name, value_range, log=log, preset=preset)
    shown.SetScalarBarVisibility(view, True)
    axes(view, *window, y_ticks=y_ticks)
    place_camera(view, *window)
    return lut


def solid(shown, colour):
    shown.ColorArrayName = ["POINTS", ""]
    shown.AmbientColor = shown.DiffuseColor = list(colour)


def curves(ns, view, window, du=None, dv=None):
    """The bifurcation curves of the well-mixed system over the window, one colour per curve
    (CURVES), above the heat map."""
    SetActiveSource(None)
    properties = dict(FRange=list(window[0]), KRange=list(window[1]), Elevation=LIFT["curves"])
    if du is not None:
        properties.update(Du=du, Dv=dv)
    source = ns["GrayScottBifurcationCurves"](**properties)
    for curve_id, _, colour in CURVES:
        one = Threshold(Input=OutputPort(source, 0), Scalars=["CELLS", "curve_id"])
        one.LowerThreshold = one.UpperThreshold = curve_id
        line = Show(one, view)
        solid(line, colour)
        line.LineWidth = 3.0
    return source


def clipped(port, window):
    """The part of a path (a polyline over the landscape's axes) inside the window: four
    clips by planes, each keeping one side of an edge, so a path that leaves ends at the
    frame."""
    (x0, x1), (y0, y1) = window
    for origin, normal in (([x0, 0, 0], [-1, 0, 0]), ([x1, 0, 0], [1, 0, 0]),
                           ([0, y0, 0], [0, -1, 0]), ([0, y1, 0], [0, 1, 0])):
        port = Clip(Input=port, ClipType="Plane")
        port.ClipType.Origin = origin
        port.ClipType.Normal = normal
        port.Invert = 1  # keep the side the normal points away from
        port.Crinkleclip = 0
        port.Scalars = ["POINTS", ""]
    return port


def lifted(port, z):
    """`port` moved up to height z, above the heat map."""
    moved = Transform(Input=port)
    moved.Transform.Translate = [0.0, 0.0, z]
    return moved


def path(view, port, window, colour, width=4.0, points=True):
    """A trajectory (an Inversion's output port 1) clipped to the window, as a line with its
    iterates as dots, above the heat map and the curves."""
    inside = lifted(clipped(port, window), LIFT["path"])
    line = Show(inside, view)
    solid(line, colour)
    line.LineWidth = width
    line.Representation = "Surface"
    if points:
        # A second representation of the same data needs a second source.
        dots = Show(PassArrays(Input=inside), view)
        solid(dots, colour)
        dots.Representation = "Points"
        dots.PointSize = 2.2 * width
        dots.RenderPointsAsSpheres = 1
    return inside


def marker(view, window, x, y, colour, size=0.012, ring=(0.0, 0.0, 0.0)):
    """A round marker at (x, y), `size` of the window's width across, with a dark ring, on top
    of everything: two flat discs seen from above, each higher than the markers before it."""
    radius = size * (window[0][1] - window[0][0]) / 2.0
    # Each marker a little above the last, so a later, smaller one shows on an earlier one.
    _markers.append(1e-4 * len(_markers))
    for lift, r, tint in (("marker", 1.35 * radius, ring), ("marker_top", radius, colour)):
        SetActiveSource(None)
        disc = Transform(Input=Disk(InnerRadius=0.0, OuterRadius=r, CircumferentialResolution=48))
        disc.Transform.Translate = [x, y, LIFT[lift] + _markers[-1]]
        shown = Show(disc, view)
        solid(shown, tint)
        shown.Ambient, shown.Diffuse, shown.Specular = 1.0, 0.0, 0.0  # flat, unshaded
    return disc


def pattern_panel(view, source, bounds, label, value_range=(0.0, 0.5), bar=False):
    """v of a pattern from straight above, the grid filling the panel under a label; with
    `bar`, v's colour bar lies across the bottom margin (every panel keeps that margin, so
    the grids line up)."""
    shown = Show(source, view)
    shown.Representation = "Slice"
    ColorBy(shown, ("POINTS", "v"))
    colour_bar(view, "v", "v", value_range, label_format="%.1f")
    shown.SetScalarBarVisibility(view, bar)
    if bar:
        legend = GetScalarBar(GetColorTransferFunction("v"), view)
        legend.Orientation = "Horizontal"
        legend.Position = [0.2, 0.01]
        legend.ScalarBarLength = 0.6
        legend.ScalarBarThickness = 12
    x0, x1, y0, y1 = bounds[:4]
    place_camera(view, (x0, x1), (y0, y1), (0.02, 0.02, 0.16, 0.14))
    title(view, None, label, font=18)


def save_grid(views, path, panel_size, columns=None):
    """The views side by side (`columns` per row, all in one row by default) in one picture,
    each panel `panel_size` pixels; then the views are deleted (a render view alive at exit
    dies with an X error on this ParaView)."""
    columns = columns or len(views)
    rows = (len(views) + columns - 1) // columns
    layout = CreateLayout(os.path.basename(path))
    layout.SeparatorWidth = 0

    def split_row(cell, count):
        cells = []
        for i in range(count - 1):
            layout.SplitHorizontal(cell, 1.0 / (count - i))
            cells.append(2 * cell + 1)
            cell = 2 * cell + 2
        return cells + [cell]

    row_cells = [0]
    cell = 0
    for i in range(rows - 1):
        layout.SplitVertical(cell, 1.0 / (rows - i))
        row_cells[-1] = 2 * cell + 1
        cell = 2 * cell + 2
        row_cells.append(cell)
    cells = []
    for cell in row_cells:
        # Every row split into `columns` cells, so a short last row keeps the panels' width.
        cells += split_row(cell, columns) if columns > 1 else [cell]
    for view, cell in zip(views, cells):
        view.ViewSize = list(panel_size)
        layout.AssignView(cell, view)
    size = [panel_size[0] * columns, panel_size[1] * rows]
    layout.SetSize(*size)
    for view in views:
        Render(view)
    SaveScreenshot(path, layout, ImageResolution=size)
    if not os.path.exists(path) or not os.path.getsize(path):
        sys.exit("no picture was written to %s" % path)
    for view in views:
        Delete(view)
    Delete(layout)
    print("wrote %s" % path)
