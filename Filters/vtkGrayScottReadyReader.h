/**
 * @class   vtkGrayScottReadyReader
 * @brief   Reads a Ready pattern file (.vti with an <RD> element) as this model's u, v and
 *          parameters; reads any .vti, appended data included, on every expat.
 *
 * Ready (GollyGang/ready) writes VTK image files with its rule in an <RD> element beside the
 * <ImageData>: the rule's type and name, its parameters (D_a, D_b, F, K or k, timestep, dx),
 * `wrap`, a formula's accuracy, and the initial-pattern generator. Its chemicals are point
 * arrays a and b, or (older files) the two components of one array, often Scalars_; inline
 * binary or appended, compressed or not.
 *
 * The rule is mapped by gs::readyModel (Core/gs/Ready.h, README "Ready files"). Output: the
 * file's grid with the model's spacing (dx for a formula rule, 1 for the inbuilt rule) on
 * every axis; double point arrays u and v from the chemicals when they hold a state
 * (gs::readyChemicalsHoldState: not replaced by Ready's generator on load, not all zero);
 * field data Parameters (Du, Dv, F, k, as the Pattern source writes it), TimeStep,
 * ReadyRule, ReadyLaplacian, Periodic (int), HoldsState (int), and ReadyDifferences (where
 * Ready's discrete model differs from this solver's; also given as a warning).
 *
 * A file that is not Gray-Scott (another rule, a formula that is not Ready's Gray-Scott
 * formula, a missing parameter, chemicals other than two) is an error naming the problem and
 * an empty output. A .vti without <RD> is read as VTK's image reader reads it: this reader
 * uses vtkGrayScottXMLDataParser, so it also reopens appended files where ParaView 5.11's own
 * reader fails (Debian 12 with its current expat).
 */

#ifndef vtkGrayScottReadyReader_h
#define vtkGrayScottReadyReader_h

#include "GrayScottFiltersModule.h" // for export macro
#include "vtkXMLImageDataReader.h"

#include <memory> // for std::unique_ptr

class GRAYSCOTTFILTERS_EXPORT vtkGrayScottReadyReader : public vtkXMLImageDataReader
{
public:
  static vtkGrayScottReadyReader* New();
  vtkTypeMacro(vtkGrayScottReadyReader, vtkXMLImageDataReader);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  /// 1 for a VTK image file that holds a Ready <RD> element, or that stores appended data
  /// while this process's expat defers reparsing (ParaView's own reader fails on it then).
  int CanReadFile(VTK_FILEPATH const char* name) override;

  /// 1 when the file read last has an <RD> element.
  int GetIsReadyFile();

protected:
  vtkGrayScottReadyReader();
  ~vtkGrayScottReadyReader() override;

  void CreateXMLParser() override;
  int ReadVTKFile(vtkXMLDataElement* eVTKFile) override;
  int RequestData(vtkInformation* request, vtkInformationVector** inputVector,
    vtkInformationVector* outputVector) override;

private:
  vtkGrayScottReadyReader(const vtkGrayScottReadyReader&) = delete;
  void operator=(const vtkGrayScottReadyReader&) = delete;

  struct vtkInternals;
  std::unique_ptr<vtkInternals> Internals;
};

#endif
