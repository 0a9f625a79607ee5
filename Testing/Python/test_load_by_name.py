"""The plugin by name: with PV_PLUGIN_CONFIG_FILE naming the build's GrayScott.plugins.xml,
pvpython lists the plugin, marked for loading at start, and LoadDistributedPlugin("GrayScott")
loads it without a path. Then the same from a `cmake --install` into a fresh prefix, in a
child pvpython whose configuration file is the installed one."""

import os
import subprocess
import sys
import tempfile

import gs_testing as t
from paraview import servermanager
from paraview.simple import LoadDistributedPlugin, SetActiveSource


def listed(name):
    """Whether the plugin manager knows `name`, and whether it loads at start."""
    info = servermanager.vtkSMProxyManager.GetProxyManager().GetPluginManager().GetLocalInformation()
    for i in range(info.GetNumberOfPlugins()):
        if info.GetPluginName(i) == name:
            return True, bool(info.GetAutoLoad(i))
    return False, False


def load_and_run(where):
    ns = {"__name__": "loaded_by_name"}  # an empty dict would make LoadPlugin use its own
    try:
        LoadDistributedPlugin("GrayScott", remote=False, ns=ns)
    except RuntimeError as error:
        t.fail("%s: LoadDistributedPlugin('GrayScott') failed: %s" % (where, error))
        return
    t.check("GrayScottPattern" in ns, "%s: loading by name defines GrayScottPattern()" % where)
    if "GrayScottPattern" not in ns:
        return
    SetActiveSource(None)
    pattern = ns["GrayScottPattern"](Dimensions=[16, 16, 1], NumberOfSteps=10,
                                     SteadyStateTolerance=0.0)
    pattern.UpdatePipeline()
    data = servermanager.Fetch(pattern)
    t.check(data.GetNumberOfPoints() == 256, "%s: the loaded source runs (%d points)" % (
        where, data.GetNumberOfPoints()))


def main():
    def extra(parser):
        parser.add_argument("--build-dir", help="install this build into a fresh prefix")
        parser.add_argument("--pvpython", help="the pvpython for the installed check")
        parser.add_argument("--where", default="build")

    args = t.parse_args(extra)
    config = os.environ.get("PV_PLUGIN_CONFIG_FILE", "")
    t.check(os.path.isfile(config), "PV_PLUGIN_CONFIG_FILE names a file (%r)" % config)
    known, auto_load = listed("GrayScott")
    t.check(known, "%s: the plugin manager lists GrayScott" % args.where)
    t.check(auto_load, "%s: GrayScott is marked to load at start" % args.where)
    load_and_run(args.where)
    if not args.build_dir:
        return

    with tempfile.TemporaryDirectory(prefix="gs_install_") as prefix:
        install = subprocess.run(["cmake", "--install", args.build_dir, "--prefix", prefix],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        t.check(install.returncode == 0, "cmake --install into a fresh prefix (%d)\n%s" % (
            install.returncode, install.stdout[-2000:]))
        installed = None
        for folder, _, files in os.walk(prefix):
            if "GrayScott.plugins.xml" in files:
                installed = os.path.join(folder, "GrayScott.plugins.xml")
        t.check(installed is not None, "the install has GrayScott.plugins.xml")
        if installed is None:
            return
        env = dict(os.environ, PV_PLUGIN_CONFIG_FILE=installed)
        child = subprocess.run(
            [args.pvpython, os.path.abspath(__file__), "--plugin", args.plugin,
             "--where", "installed"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=240)
        sys.stdout.write(child.stdout)
        t.check(child.returncode == 0, "the installed plugin loads by name (%d)" % child.returncode)


t.run(main)
