"""The state file Data/gray_scott.pvsm loads (plugin first, then the state) and renders the
picture in Data/gray_scott_state.png (picture_compare: VTK's image difference and a threshold,
since rendering differs slightly between GPUs and Mesa versions)."""

import os
import sys

import gs_testing as t

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Scripts"))
from gs_scripts import ensure_display  # noqa: E402

import picture_compare  # noqa: E402
from paraview.simple import GetLayouts, GetViews, LoadState, SaveScreenshot  # noqa: E402


def main():
    def extra(parser):
        parser.add_argument("--state", required=True)
        parser.add_argument("--baseline", required=True)
        parser.add_argument("--output", required=True)

    args = t.parse_args(extra)
    ensure_display()
    ns = globals()
    t.load_plugin(args.plugin, ns)
    LoadState(args.state)
    layouts = list(GetLayouts().values())
    t.check(len(layouts) >= 1, "the state has a layout")
    t.check(len(GetViews()) >= 4, "and four views (%d)" % len(GetViews()))
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    SaveScreenshot(args.output, layouts[-1], ImageResolution=[1400, 1000])
    picture_compare.check_picture(t.check, args.output, args.baseline)


t.run(main)
