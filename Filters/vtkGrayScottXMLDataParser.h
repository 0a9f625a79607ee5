/**
 * @class   vtkGrayScottXMLDataParser
 * @brief   vtkXMLDataParser that reads appended data with every expat.
 *
 * Expat's reparse deferral (expat 2.6, and Debian 12's security updates of 2.5.0) holds back
 * a token until more input arrives. VTK 9.2's XML data parser stops feeding expat at the
 * AppendedData element, so with deferral the element is never reported and the binary data
 * after it reaches expat: "not well-formed (invalid token)". This parser turns deferral off
 * (XML_SetReparseDeferralEnabled, looked up at run time so the plugin still loads with an
 * expat that has no deferral).
 */

#ifndef vtkGrayScottXMLDataParser_h
#define vtkGrayScottXMLDataParser_h

#include "GrayScottFiltersModule.h" // for export macro
#include "vtkXMLDataParser.h"

class GRAYSCOTTFILTERS_EXPORT vtkGrayScottXMLDataParser : public vtkXMLDataParser
{
public:
  static vtkGrayScottXMLDataParser* New();
  vtkTypeMacro(vtkGrayScottXMLDataParser, vtkXMLDataParser);

  /// True when this process's expat defers reparsing, which VTK 9.2's readers of appended
  /// data do not survive.
  static bool ExpatDefersReparsing();

protected:
  vtkGrayScottXMLDataParser() = default;
  ~vtkGrayScottXMLDataParser() override = default;

  int CreateParser() override;

private:
  vtkGrayScottXMLDataParser(const vtkGrayScottXMLDataParser&) = delete;
  void operator=(const vtkGrayScottXMLDataParser&) = delete;
};

#endif
