"""Every proxy of the plugin, in every server-manager XML file (--xml-dir): in the Gray-Scott
menu, documented (short, long and full help, and each declared output port), every property
documented in words (five at least), every settable property in exactly one property group, numbers with a range, enumeration or boolean
domain (or listed here as free), and reachable from pvpython under its label's name."""

import glob
import os
import xml.etree.ElementTree as ET

import gs_testing as t
from paraview.simple import SetActiveSource

# Values any number may take (parameter values, ranges, offsets): no domain needed.
FREE = {"XRange", "YRange", "ZRange", "TrueParameters", "FixedValues", "InitialGuess", "ZScale",
        "Elevation", "NoiseVariance"}
KINDS = ("DoubleVectorProperty", "IntVectorProperty", "IdTypeVectorProperty", "InputProperty",
         "StringVectorProperty")


def main():
    def extra(parser):
        parser.add_argument("--xml-dir", required=True)

    args = t.parse_args(extra)
    ns = globals()
    t.load_plugin(args.plugin, ns)
    files = sorted(glob.glob(os.path.join(args.xml_dir, "*.xml")))
    t.check(len(files) >= 5, "%d server-manager XML files" % len(files))
    proxies = 0
    for path in files:
        for proxy in ET.parse(path).getroot().iter("SourceProxy"):
            proxies += 1
            name, label = proxy.get("name"), proxy.get("label")
            menu = proxy.find("Hints/ShowInMenu")
            factory = proxy.find("Hints/ReaderFactory")
            if factory is not None:
                # A reader opens from File > Open, not from a menu.
                t.check(menu is None and factory.get("extensions") and factory.get("file_description"),
                        "%s: a reader, with extensions and a file description" % name)
            else:
                t.check(menu is not None and menu.get("category") == "Gray-Scott",
                        "%s: in the Gray-Scott menu" % name)
            doc = proxy.find("Documentation")
            t.check(doc is not None and doc.get("short_help") and doc.get("long_help") and
                    len((doc.text or "").split()) >= 20, "%s: short, long and full documentation" % name)
            for port in proxy.findall("OutputPort"):
                d = port.find("Documentation")
                t.check(d is not None and len((d.text or "").split()) >= 8,
                        "%s: output port %s is documented" % (name, port.get("name")))
            grouped = [p.get("name") for g in proxy.findall("PropertyGroup") for p in g.findall("Property")]
            SetActiveSource(None)
            constructor = ns.get(t.python_name(label))
            t.check(constructor is not None, "%s: pvpython constructor %s()" % (name, t.python_name(label)))
            instance = constructor() if constructor else None
            for p in proxy:
                if p.tag not in KINDS:
                    continue
                pname = p.get("name")
                d = p.find("Documentation")
                t.check(d is not None and len((d.text or "").split()) >= 5, "%s.%s is documented" % (name, pname))
                if p.get("information_only") == "1":
                    continue
                if instance is not None:
                    t.check(t.python_name(p.get("label") or pname) in instance.ListProperties(),
                            "%s.%s is %s in pvpython" % (name, pname, t.python_name(p.get("label") or pname)))
                if p.tag == "InputProperty" or p.get("panel_visibility") == "never":
                    continue
                t.check(grouped.count(pname) == 1, "%s.%s is in exactly one property group" % (name, pname))
                if p.tag == "StringVectorProperty" or pname in FREE:
                    continue
                domain = [c.tag for c in p if c.tag.endswith("Domain")]
                t.check(any(tag in ("DoubleRangeDomain", "IntRangeDomain", "EnumerationDomain", "BooleanDomain")
                            for tag in domain), "%s.%s has a range, enumeration or boolean domain" % (name, pname))
    t.check(proxies >= 6, "%d proxies checked" % proxies)


t.run(main)
