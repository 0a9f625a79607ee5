#include "vtkGrayScottReadyReader.h"
#include "vtkGrayScottImageFields.h"
#include "vtkGrayScottXMLDataParser.h"
#include "vtkGrayScottXMLFiles.h"

#include "vtkDataArray.h"
#include "vtkDoubleArray.h"
#include "vtkFieldData.h"
#include "vtkImageData.h"
#include "vtkInformation.h"
#include "vtkInformationVector.h"
#include "vtkIntArray.h"
#include "vtkNew.h"
#include "vtkObjectFactory.h"
#include "vtkPointData.h"
#include "vtkStringArray.h"
#include "vtkXMLDataElement.h"

#include <gs/Ready.h>

#include <string>
#include <vector>

struct vtkGrayScottReadyReader::vtkInternals
{
  bool IsReady = false;
  gs::ReadyRule Rule;
  gs::ReadyModel Model;
};

vtkStandardNewMacro(vtkGrayScottReadyReader);

namespace
{

std::string Attribute(vtkXMLDataElement* e, const char* name)
{
  const char* value = e->GetAttribute(name);
  return value ? value : "";
}

std::string Text(vtkXMLDataElement* e)
{
  const char* text = e->GetCharacterData();
  return text ? text : "";
}

/// The <rule> of Ready's <RD> element, and whether its generator runs on load.
gs::ReadyRule ParseRule(vtkXMLDataElement* rd)
{
  vtkXMLDataElement* rule = rd->FindNestedElementWithName("rule");
  if (!rule)
  {
    throw gs::Error("its <RD> element has no <rule>.");
  }
  gs::ReadyRule r;
  r.name = Attribute(rule, "name");
  r.type = Attribute(rule, "type");
  r.wrap = Attribute(rule, "wrap");
  for (int i = 0; i < rule->GetNumberOfNestedElements(); ++i)
  {
    vtkXMLDataElement* e = rule->GetNestedElement(i);
    const std::string tag = e->GetName() ? e->GetName() : "";
    if (tag == "param")
    {
      r.params.emplace_back(Attribute(e, "name"), Text(e));
    }
    else if (tag == "formula")
    {
      r.formula = Text(e);
      r.accuracy = Attribute(e, "accuracy");
    }
  }
  vtkXMLDataElement* generator = rd->FindNestedElementWithName("initial_pattern_generator");
  r.generatorOnLoad = generator && Attribute(generator, "apply_when_loading") == "true";
  return r;
}

/// Ready's chemicals a, b: two one-component arrays so named, or one array of two components.
void Chemicals(vtkPointData* pd, std::vector<double>& a, std::vector<double>& b)
{
  vtkDataArray* named[2] = { pd->GetArray("a"), pd->GetArray("b") };
  if (pd->GetNumberOfArrays() == 2 && named[0] && named[1] &&
    named[0]->GetNumberOfComponents() == 1 && named[1]->GetNumberOfComponents() == 1)
  {
    a = gsvtk::ToValues(named[0]);
    b = gsvtk::ToValues(named[1]);
    return;
  }
  vtkDataArray* one = pd->GetNumberOfArrays() == 1 ? pd->GetArray(0) : nullptr;
  if (one && one->GetNumberOfComponents() == 2)
  {
    a = gsvtk::ToValues(one, 0);
    b = gsvtk::ToValues(one, 1);
    return;
  }
  std::string found;
  for (int i = 0; i < pd->GetNumberOfArrays(); ++i)
  {
    vtkAbstractArray* array = pd->GetAbstractArray(i);
    found += std::string(i ? ", " : "") + (array->GetName() ? array->GetName() : "(unnamed)") +
      " (" + std::to_string(array->GetNumberOfComponents()) + " components)";
  }
  throw gs::Error("its chemicals are not Gray-Scott's two: expected point arrays a and b, or one "
                  "array of two components; found " +
    (found.empty() ? std::string("no point arrays") : found) + ".");
}

} // namespace

vtkGrayScottReadyReader::vtkGrayScottReadyReader()
  : Internals(new vtkInternals)
{}

vtkGrayScottReadyReader::~vtkGrayScottReadyReader() = default;

int vtkGrayScottReadyReader::CanReadFile(const char* name)
{
  if (!this->Superclass::CanReadFile(name))
  {
    return 0;
  }
  const gsvtk::XMLFileHead head = gsvtk::ReadXMLFileHead(name);
  return head.ReadyElement ||
      (head.AppendedData && vtkGrayScottXMLDataParser::ExpatDefersReparsing())
    ? 1
    : 0;
}

int vtkGrayScottReadyReader::GetIsReadyFile()
{
  return this->Internals->IsReady ? 1 : 0;
}

void vtkGrayScottReadyReader::CreateXMLParser()
{
  if (this->XMLParser)
  {
    this->DestroyXMLParser();
  }
  this->XMLParser = vtkGrayScottXMLDataParser::New();
}

int vtkGrayScottReadyReader::ReadVTKFile(vtkXMLDataElement* eVTKFile)
{
  vtkInternals& internals = *this->Internals;
  internals.IsReady = false;
  if (!this->Superclass::ReadVTKFile(eVTKFile))
  {
    return 0;
  }
  vtkXMLDataElement* rd = eVTKFile->FindNestedElementWithName("RD");
  if (!rd)
  {
    return 1;
  }
  try
  {
    internals.Rule = ParseRule(rd);
    int dimension = 0;
    for (int axis = 0; axis < 3; ++axis)
    {
      dimension += this->WholeExtent[2 * axis + 1] > this->WholeExtent[2 * axis] ? 1 : 0;
    }
    internals.Model = gs::readyModel(internals.Rule, std::max(dimension, 1));
  }
  catch (const gs::Error& e)
  {
    vtkErrorMacro(<< "The Ready file '" << (this->FileName ? this->FileName : "")
                  << "': " << e.what());
    return 0;
  }
  internals.IsReady = true;
  // Ready's Laplacian uses dx (formula rules) or no spacing (the inbuilt rule), never the
  // image's Spacing attribute: the model's spacing is the output's.
  for (double& h : this->Spacing)
  {
    h = internals.Model.spacing;
  }
  return 1;
}

int vtkGrayScottReadyReader::RequestData(
  vtkInformation* request, vtkInformationVector** inputVector, vtkInformationVector* outputVector)
{
  if (!this->Superclass::RequestData(request, inputVector, outputVector))
  {
    return 0;
  }
  const vtkInternals& internals = *this->Internals;
  vtkImageData* output = vtkImageData::GetData(outputVector);
  if (!internals.IsReady || !output)
  {
    return 1;
  }
  try
  {
    std::vector<double> a;
    std::vector<double> b;
    Chemicals(output->GetPointData(), a, b);
    const bool state = gs::readyChemicalsHoldState(internals.Rule, a, b);
    output->GetPointData()->Initialize();
    if (state)
    {
      output->GetPointData()->AddArray(gsvtk::ToArray("u", a));
      output->GetPointData()->SetScalars(gsvtk::ToArray("v", b));
    }
    else
    {
      vtkWarningMacro(<< "The Ready file '" << this->FileName << "' holds no state: "
                      << (internals.Rule.generatorOnLoad
                             ? "Ready replaces its chemicals on load (initial_pattern_generator "
                               "apply_when_loading=\"true\")"
                             : "its chemicals are all zero")
                      << ". The output has the grid and the parameters, no u and v; as the Pattern "
                         "source's ReadyFile it starts from the seeded initial condition.");
    }

    const gs::ReadyModel& m = internals.Model;
    vtkFieldData* fd = output->GetFieldData();
    gsvtk::AddParameters(fd, m.parameters);
    gsvtk::AddFieldValue<vtkDoubleArray>(fd, "TimeStep", m.timeStep);
    gsvtk::AddFieldValue<vtkStringArray>(
      fd, "ReadyRule", internals.Rule.type + " " + internals.Rule.name);
    gsvtk::AddFieldValue<vtkStringArray>(fd, "ReadyLaplacian", m.laplacian);
    gsvtk::AddFieldValue<vtkIntArray>(fd, "Periodic", m.periodic ? 1 : 0);
    gsvtk::AddFieldValue<vtkIntArray>(fd, "HoldsState", state ? 1 : 0);
    vtkNew<vtkStringArray> differences;
    differences->SetName("ReadyDifferences");
    std::string joined;
    for (const std::string& d : m.differences)
    {
      differences->InsertNextValue(d);
      joined += (joined.empty() ? "" : "; ") + d;
    }
    fd->AddArray(differences);
    if (!joined.empty())
    {
      vtkWarningMacro(<< "The Ready file '" << this->FileName << "': " << joined << ".");
    }
  }
  catch (const gs::Error& e)
  {
    output->Initialize();
    vtkErrorMacro(<< "The Ready file '" << this->FileName << "': " << e.what());
    return 0;
  }
  return 1;
}

void vtkGrayScottReadyReader::PrintSelf(ostream& os, vtkIndent indent)
{
  this->Superclass::PrintSelf(os, indent);
  const vtkInternals& internals = *this->Internals;
  os << indent << "IsReadyFile: " << (internals.IsReady ? 1 : 0) << "\n";
  if (internals.IsReady)
  {
    const gs::Parameters& p = internals.Model.parameters;
    os << indent << "Rule: " << internals.Rule.type << " " << internals.Rule.name << "\n";
    os << indent << "Parameters (Du, Dv, F, k): (" << p.Du << ", " << p.Dv << ", " << p.F << ", "
       << p.k << ")\n";
    os << indent << "TimeStep: " << internals.Model.timeStep << "\n";
    os << indent << "Spacing: " << internals.Model.spacing << "\n";
    os << indent << "Laplacian: " << internals.Model.laplacian << "\n";
  }
}
