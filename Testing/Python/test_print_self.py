"""Every setting of every source and filter shows in its PrintSelf: each property of the XML
that sets something on the VTK object has a line "Name: ..." in the object's printout, named
after its setter (an array selection after the property). And the XML's default of every
numeric property is the class's (which takes it from Core where Core has one): a fresh
object prints the XML's default_values (to PrintSelf's six digits)."""

import glob
import os
import re
import xml.etree.ElementTree as ET

import gs_testing as t
from paraview.simple import SetActiveSource

NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf|nan)")
KINDS = ("DoubleVectorProperty", "IntVectorProperty", "IdTypeVectorProperty", "StringVectorProperty")


def main():
    def extra(parser):
        parser.add_argument("--xml-dir", required=True)

    args = t.parse_args(extra)
    ns = globals()
    t.load_plugin(args.plugin, ns)
    proxies = 0
    for path in sorted(glob.glob(os.path.join(args.xml_dir, "*.xml"))):
        for proxy in ET.parse(path).getroot().iter("SourceProxy"):
            SetActiveSource(None)
            constructor = ns.get(t.python_name(proxy.get("label")))
            t.check(constructor is not None, "%s: pvpython constructor" % proxy.get("name"))
            if constructor is None:
                continue
            proxies += 1
            instance = constructor()
            instance.UpdateVTKObjects()
            printed = str(instance.GetClientSideObject())
            for p in proxy:
                command = p.get("command")
                if p.tag not in KINDS or p.get("information_only") == "1" or not command:
                    continue
                # SetDu prints "Du: ..."; an array selection (SetLossArrayStatus) prints its
                # property's name ("Losses: ...").
                member = p.get("name") if command.endswith("ArrayStatus") else re.sub(r"^Set", "", command)
                line = re.search(r"^\s*%s: ?(.*)$" % re.escape(member), printed, re.M)
                t.check(line is not None, "%s PrintSelf shows %s (property %s)" % (
                    proxy.get("name"), member, p.get("name")))
                default = p.get("default_values")
                if line is None or default is None or p.tag == "StringVectorProperty":
                    continue
                shown = [float(x) for x in NUMBER.findall(line.group(1))]
                wanted = [float(x) for x in default.split()]
                t.check(len(shown) >= len(wanted) and all(
                    abs(a - b) <= 1e-5 * max(1.0, abs(b)) for a, b in zip(shown, wanted)),
                    "%s.%s: the XML's default %s is the class's (%s)" % (
                        proxy.get("name"), p.get("name"), default, line.group(1)))
    t.check(proxies >= 7, "%d proxies checked" % proxies)


t.run(main)
