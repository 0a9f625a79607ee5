"""Files in the structure of Ready's own pattern files (GollyGang/ready: Patterns/CPU-only/
grayscott_2D.vti, Patterns/GrayScott1984/Pearson1993.vti): a VTK image file, header type
UInt32, zlib-compressed, with Ready's <RD> element between <VTKFile> and <ImageData>, and the
chemicals either as point arrays a, b or as one two-component array Scalars_ (Float32), inline
binary or appended (base64 or raw)."""

from vtkmodules.vtkCommonCore import vtkFloatArray
from vtkmodules.vtkCommonDataModel import vtkImageData
from vtkmodules.vtkIOXML import vtkXMLImageDataWriter

GRAY_SCOTT_FORMULA = """
        delta_a = D_a * laplacian_a - a*b*b + F*(1.0f-a);
        delta_b = D_b * laplacian_b + a*b*b - (F+%s)*b;
      """


def rule(kind="inbuilt", kill="k", params=None, accuracy=None, wrap=None, formula=None,
         generate_on_load=False):
    """The <RD> element of a Ready file. kind: "inbuilt" (kill rate k by Ready's convention)
    or "formula" (K, or k where the formula says k)."""
    values = dict(timestep="1", D_a="0.16", D_b="0.08", F="0.035")
    values[kill] = "0.065"
    values.update(params or {})
    attributes = ' name="Gray-Scott" type="%s"' % kind
    if wrap is not None:
        attributes += ' wrap="%s"' % wrap
    lines = ['  <RD format_version="6">', "    <rule%s>" % attributes]
    for name, value in values.items():
        if value is not None:
            lines.append('      <param name="%s">   %s   </param>' % (name, value))
    if kind != "inbuilt":
        accuracy_attribute = ' accuracy="%s"' % accuracy if accuracy else ""
        lines.append('      <formula number_of_chemicals="2"%s>%s</formula>' % (
            accuracy_attribute, formula if formula is not None else GRAY_SCOTT_FORMULA % kill))
    lines.append("    </rule>")
    lines.append('    <initial_pattern_generator apply_when_loading="%s">' % (
        "true" if generate_on_load else "false"))
    lines.append('      <overlay chemical="a"> <overwrite /> <constant value="1" /> '
                 '<everywhere /> </overlay>')
    lines.append("    </initial_pattern_generator>")
    lines.append('    <render_settings> <active_chemical value="b" /> </render_settings>')
    lines.append("  </RD>")
    return "\n".join(lines) + "\n"


def write(path, dimensions, a, b, rd, layout="named", data="binary"):
    """Writes a Ready file. a, b: values per cell (x fastest); layout "named" (arrays a, b) or
    "scalars" (one array Scalars_ with two components); data "binary" (inline), "appended"
    (base64, as Ready's older files) or "appended_raw"."""
    image = vtkImageData()
    image.SetDimensions(*dimensions)
    n = len(a)
    if layout == "named":
        for name, values in (("a", a), ("b", b)):
            array = vtkFloatArray()
            array.SetName(name)
            array.SetNumberOfTuples(n)
            for i, x in enumerate(values):
                array.SetValue(i, x)
            image.GetPointData().AddArray(array)
    else:
        array = vtkFloatArray()
        array.SetName("Scalars_")
        array.SetNumberOfComponents(2)
        array.SetNumberOfTuples(n)
        for i in range(n):
            array.SetTuple2(i, a[i], b[i])
        image.GetPointData().SetScalars(array)
    writer = vtkXMLImageDataWriter()
    writer.SetInputData(image)
    writer.SetFileName(path)
    writer.SetHeaderTypeToUInt32()
    writer.SetCompressorTypeToZLib()
    if data == "binary":
        writer.SetDataModeToBinary()
    else:
        writer.SetDataModeToAppended()
        writer.SetEncodeAppendedData(1 if data == "appended" else 0)
    writer.Write()
    with open(path, "rb") as f:
        text = f.read()
    head_end = text.index(b">", text.index(b"<VTKFile")) + 1
    with open(path, "wb") as f:
        f.write(text[:head_end] + b"\n" + rd.encode("ascii") + text[head_end:].lstrip(b"\n"))
    return path
