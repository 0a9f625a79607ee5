"""Every setting of every source and filter shows in its PrintSelf: each property of the XML
that sets something on the VTK object has a line "Name: ..." in the object's printout, named
after its setter (an array selection after the property)."""

import glob
import os
import re
import xml.etree.ElementTree as ET

import gs_testing as t
from paraview.simple import SetActiveSource

KINDS = ("DoubleVectorProperty", "IntVectorProperty", "IdTypeVectorProperty", "StringVectorProperty")


def python_name(label):
    return re.sub(r"\W", "", label)


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
            constructor = ns.get(python_name(proxy.get("label")))
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
                found = re.search(r"^\s*%s\w*:" % re.escape(member), printed, re.M) is not None
                t.check(found, "%s PrintSelf shows %s (property %s)" % (proxy.get("name"), member, p.get("name")))
    t.check(proxies >= 7, "%d proxies checked" % proxies)


t.run(main)
