/**
 * What a VTK XML file's head says, and why a reader of one gave nothing: the part of file
 * reading the filters explain to users. Internal to the Filters module (not wrapped).
 */

#ifndef vtkGrayScottXMLFiles_h
#define vtkGrayScottXMLFiles_h

#include <string>

class vtkAlgorithm;

namespace gsvtk
{

/// The head of a VTK XML file: what lies before its data.
struct XMLFileHead
{
  bool Readable = false;     ///< the file opens
  bool ReadyElement = false; ///< it has Ready's <RD> element
  bool AppendedData = false; ///< it stores its arrays after an <AppendedData> element
};

/// Reads the head of `path` (its first 4 MiB at most: VTK and Ready write the elements that
/// matter before the data).
XMLFileHead ReadXMLFileHead(const std::string& path);

/// Why the producer of an empty input gave nothing, as a clause to end a message with
/// (" (...)"): the file a reader failed on and, where it can tell, the reason.
std::string WhyInputIsEmpty(vtkAlgorithm* producer);

} // namespace gsvtk

#endif
