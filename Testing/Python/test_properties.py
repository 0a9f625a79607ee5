"""Gray-Scott Pattern's XML and class agree: the public Python names, every property ranged,
shown or advanced as intended and wired to its setter (PrintSelf shows what the proxy set), and
every range in the XML is the one the class checks (a value below the minimum is an error).
Documentation, menu and groups of every proxy: test_xml_docs.py."""

import xml.etree.ElementTree as ET

import gs_testing as t

# Python name (from the label) -> XML name; the public API of the source.
PUBLIC = {
    "Du": "Du", "Dv": "Dv", "F": "F", "k": "k", "Dimensions": "Dimensions", "Spacing": "Spacing",
    "TimeStep": "TimeStep", "NumberOfSteps": "NumberOfSteps",
    "SteadyStateTolerance": "SteadyStateTolerance", "Seed": "Seed",
    "NoiseAmplitude": "NoiseAmplitude", "SeedPatchSize": "SeedPatchSize",
    "OutputInterval": "OutputInterval", "Scheme": "Scheme", "InitialState": "InitialState",
    "ReadyFile": "ReadyFile",
}
ADVANCED = {"Spacing", "TimeStep", "SteadyStateTolerance", "NoiseAmplitude", "SeedPatchSize"}
# Ranges whose minimum is excluded (documented as strictly > 0).
EXCLUSIVE_MIN = {"Spacing", "TimeStep"}
# Values PrintSelf must show after the proxy sets them (none is a default).
PROBE = {"Du": 0.125, "Dv": 0.0625, "F": 0.0375, "k": 0.0625, "Dimensions": [24, 20, 3],
         "Spacing": [1.5, 2.0, 2.5], "TimeStep": 0.75, "NumberOfSteps": 123,
         "SteadyStateTolerance": 0.003, "Seed": 42, "NoiseAmplitude": 0.0125,
         "SeedPatchSize": 7, "OutputInterval": 11, "Scheme": 1}
# PrintSelf's name for each property (the C++ member): the property's own.
MEMBER = {}


def fmt(value):
    if isinstance(value, list):
        return "(" + ", ".join(fmt(v) for v in value) + ")"
    return "%g" % value


def main():
    def extra(parser):
        parser.add_argument("--xml", required=True)

    args = t.parse_args(extra)
    ns = globals()
    t.load_plugin(args.plugin, ns)

    proxy_xml = ET.parse(args.xml).getroot().find("ProxyGroup/SourceProxy[@name='GrayScottSource']")
    t.check(proxy_xml is not None, "GrayScottSource is in the XML")
    if proxy_xml is None:
        return
    t.check(proxy_xml.get("label") == "Gray-Scott Pattern", "label Gray-Scott Pattern")
    t.check(proxy_xml.get("class") == "vtkGrayScottSource", "class vtkGrayScottSource")
    # Menu, documentation and groups: test_xml_docs.py, for every proxy.

    kinds = ("DoubleVectorProperty", "IntVectorProperty", "IdTypeVectorProperty", "InputProperty",
             "StringVectorProperty")
    properties = [p for p in proxy_xml if p.tag in kinds]
    found = {}
    for p in properties:
        name = p.get("name")
        if p.get("information_only") == "1":
            continue
        found[t.python_name(p.get("label") or name)] = name
        if p.tag == "InputProperty":
            t.check(p.get("port_index") == "0" and p.find("Hints/Optional") is not None,
                    "%s is the optional input on port 0" % name)
            continue
        if p.tag == "StringVectorProperty":
            t.check(p.find("FileListDomain") is not None and p.find("Hints/FileChooser") is not None,
                    "%s is a file name with a file chooser" % name)
        elif p.find("EnumerationDomain") is not None:
            entries = [e.get("text") for e in p.find("EnumerationDomain")]
            t.check(len(entries) >= 2, "%s lists its choices (%s)" % (name, entries))
        else:
            domain = p.find("DoubleRangeDomain") if p.tag == "DoubleVectorProperty" else p.find("IntRangeDomain")
            t.check(domain is not None and domain.get("min") is not None, "%s has a range with a minimum" % name)
        advanced = p.get("panel_visibility") == "advanced"
        t.check(advanced == (name in ADVANCED), "%s is %s" % (name, "advanced" if name in ADVANCED else "shown"))
    t.check(found == PUBLIC, "the Python names are the public API (%s)" % sorted(found))

    # Every property reaches its setter: PrintSelf shows what the proxy set.
    src = t.new_pattern(ns, **PROBE)
    src.UpdatePipeline()  # pushes the properties to the VTK object
    printed = str(src.GetClientSideObject())
    for name, value in PROBE.items():
        line = "%s: %s" % (MEMBER.get(name, name), fmt(value))
        t.check(line in printed, "PrintSelf shows '%s'" % line)
    for extra_line in ("NumberOfStepsComputed: ", "NumberOfCachedFrames: ", "ReadyFile: (none)"):
        t.check(extra_line in printed, "PrintSelf shows %s" % extra_line.strip(": "))
    src.ReadyFile = "probe.vti"
    src.UpdateVTKObjects()
    t.check("ReadyFile: probe.vti" in str(src.GetClientSideObject()), "PrintSelf shows 'ReadyFile: probe.vti'")

    # The XML minimum is the class's: just below it is an error; at it (when included) is fine.
    good = dict(Dimensions=[16, 16, 1], NumberOfSteps=10, SteadyStateTolerance=0.0,
                Spacing=[1.0, 1.0, 1.0], TimeStep=1.0, OutputInterval=0, Du=0.16, Dv=0.08,
                F=0.035, k=0.065, Seed=0, NoiseAmplitude=0.02, SeedPatchSize=4)
    checker = t.new_pattern(ns, **good)
    messages = t.Messages(checker)
    for p in properties:
        name = p.get("name")
        domain = p.find("DoubleRangeDomain") if p.tag == "DoubleVectorProperty" else p.find("IntRangeDomain")
        if p.get("information_only") == "1" or domain is None or domain.get("min") is None:
            continue
        is_int = p.tag in ("IntVectorProperty", "IdTypeVectorProperty")
        minimum = [float(x) for x in domain.get("min").split()]
        for component in range(len(minimum)):
            for offset, expect_error in ((-1.0 if is_int else -1e-3, True),
                                         (0.0, name in EXCLUSIVE_MIN)):
                value = list(good[name]) if isinstance(good[name], list) else [good[name]]
                value[component] = minimum[component] + offset
                if is_int:
                    value = [int(v) for v in value]
                checker.SetPropertyWithName(name, value if len(value) > 1 else value[0])
                messages.clear()
                data = t.output(checker)
                got_error = bool(messages.errors) and data.GetNumberOfPoints() == 0
                t.check(got_error == expect_error,
                        "%s[%d] = %g: %s" % (name, component, value[component],
                                             "error" if expect_error else "accepted"))
            checker.SetPropertyWithName(name, good[name])


t.run(main)
