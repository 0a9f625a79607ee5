#include "vtkGrayScottXMLFiles.h"
#include "vtkGrayScottXMLDataParser.h"

#include "vtkAlgorithm.h"
#include "vtkFileSeriesReader.h"
#include "vtkXMLReader.h"

#include <fstream>
#include <string>

namespace gsvtk
{

XMLFileHead ReadXMLFileHead(const std::string& path)
{
  XMLFileHead head;
  std::ifstream in(path, std::ios::binary);
  if (!in)
  {
    return head;
  }
  head.Readable = true;
  std::string text(4u << 20, '\0');
  in.read(&text[0], static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  // Ready writes <RD> before the data set's element; only a tag counts, not the word in text.
  const std::size_t data = text.find("<ImageData");
  const std::size_t rd = text.find("<RD");
  head.ReadyElement = rd != std::string::npos && (data == std::string::npos || rd < data) &&
    rd + 3 < text.size() &&
    (text[rd + 3] == ' ' || text[rd + 3] == '>' || text[rd + 3] == '\n' || text[rd + 3] == '\r' ||
      text[rd + 3] == '\t');
  head.AppendedData = text.find("<AppendedData") != std::string::npos;
  return head;
}

std::string WhyInputIsEmpty(vtkAlgorithm* producer)
{
  if (!producer)
  {
    return "";
  }
  // ParaView hands a proxy's output on through a post filter (array conversions), and its
  // readers are file-series readers around VTK's.
  while (producer->IsA("vtkPVPostFilter") && producer->GetNumberOfInputConnections(0) > 0)
  {
    producer = producer->GetInputAlgorithm(0, 0);
  }
  std::string file;
  vtkAlgorithm* reader = producer;
  if (auto* series = vtkFileSeriesReader::SafeDownCast(producer))
  {
    file = series->GetCurrentFileName() ? series->GetCurrentFileName() : "";
    reader = series->GetReader() ? series->GetReader() : producer;
  }
  if (auto* xml = vtkXMLReader::SafeDownCast(reader))
  {
    if (file.empty() && xml->GetFileName())
    {
      file = xml->GetFileName();
    }
  }
  const std::string name = reader->GetClassName();
  if (file.empty())
  {
    return " (" + name + ", connected to it, gave nothing: see its error)";
  }
  const XMLFileHead head = ReadXMLFileHead(file);
  if (!head.Readable)
  {
    return " (its reader, " + name + ", cannot open the file '" + file + "')";
  }
  if (vtkXMLReader::SafeDownCast(reader) && head.AppendedData &&
    vtkGrayScottXMLDataParser::ExpatDefersReparsing())
  {
    return " (its reader, " + name + ", cannot read '" + file +
      "': the file stores its arrays as appended data, which ParaView 5.11's XML readers do not "
      "read with this system's expat library; open it with the Gray-Scott Ready File reader, which "
      "reads any .vti, or save it again with Data Mode Binary; README, 'Files that open again')";
  }
  return " (its reader, " + name + ", failed on '" + file + "': see its error)";
}

} // namespace gsvtk
