/**
 * A failed request, reported once. A filter of ours returns 0 after an error, as VTK's do, and
 * the executive reports that failure; but it also runs the filter again while nothing changed
 * (for its other output ports, on the next render), and that run would fail the same way.
 * gsvtk::Failure remembers what the failed request saw (the pipeline's modification time, the
 * time and extent asked for), so the repeat returns 0 at once: no recomputation, and the user
 * reads the message once. Internal to the Filters module (not wrapped).
 */

#ifndef vtkGrayScottFailure_h
#define vtkGrayScottFailure_h

#include "vtkAlgorithm.h"
#include "vtkDemandDrivenPipeline.h"
#include "vtkInformation.h"
#include "vtkSetGet.h"
#include "vtkStreamingDemandDrivenPipeline.h"

#include <string>
#include <vector>

namespace gsvtk
{

class Failure
{
public:
  /// True when `self` failed last time on the same request: return 0 without running again.
  bool Repeats(vtkAlgorithm* self, vtkInformation* outInfo) const
  {
    return this->Failed && this->Key == KeyOf(self, outInfo);
  }

  /// Reports `message` as the error of `self`, remembers the request, and returns 0 (for
  /// `return Failure.Report(...)`).
  int Report(vtkAlgorithm* self, vtkInformation* outInfo, const std::string& message)
  {
    vtkErrorWithObjectMacro(self, << message);
    this->Failed = true;
    this->Key = KeyOf(self, outInfo);
    return 0;
  }

  /// A request that succeeded (or was aborted): the next failure is news again.
  void Clear() { this->Failed = false; }

private:
  static std::vector<double> KeyOf(vtkAlgorithm* self, vtkInformation* outInfo)
  {
    std::vector<double> key;
    auto* executive = vtkDemandDrivenPipeline::SafeDownCast(self->GetExecutive());
    key.push_back(static_cast<double>(executive ? executive->GetPipelineMTime() : 0));
    key.push_back(static_cast<double>(self->GetMTime()));
    using SDDP = vtkStreamingDemandDrivenPipeline;
    if (outInfo && outInfo->Has(SDDP::UPDATE_TIME_STEP()))
    {
      key.push_back(outInfo->Get(SDDP::UPDATE_TIME_STEP()));
    }
    if (outInfo && outInfo->Has(SDDP::UPDATE_EXTENT()))
    {
      const int* extent = outInfo->Get(SDDP::UPDATE_EXTENT());
      key.insert(key.end(), extent, extent + 6);
    }
    return key;
  }

  bool Failed = false;
  std::vector<double> Key;
};

} // namespace gsvtk

#endif
