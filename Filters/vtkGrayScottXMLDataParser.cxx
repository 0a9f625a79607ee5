#include "vtkGrayScottXMLDataParser.h"

#include "vtkObjectFactory.h"

#include <dlfcn.h>

namespace
{
// XML_SetReparseDeferralEnabled(XML_Parser, XML_Bool): absent from expat before 2.6 and from
// Debian 12's expat before its security updates.
using SetReparseDeferral = unsigned char (*)(void*, unsigned char);

SetReparseDeferral ReparseDeferralSwitch()
{
  static const auto fn =
    reinterpret_cast<SetReparseDeferral>(dlsym(RTLD_DEFAULT, "XML_SetReparseDeferralEnabled"));
  return fn;
}
} // namespace

vtkStandardNewMacro(vtkGrayScottXMLDataParser);

bool vtkGrayScottXMLDataParser::ExpatDefersReparsing()
{
  return ReparseDeferralSwitch() != nullptr;
}

int vtkGrayScottXMLDataParser::CreateParser()
{
  if (!this->Superclass::CreateParser())
  {
    return 0;
  }
  if (SetReparseDeferral fn = ReparseDeferralSwitch())
  {
    fn(this->Parser, 0);
  }
  return 1;
}
