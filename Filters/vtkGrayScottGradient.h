/**
 * @class   vtkGrayScottGradient
 * @brief   Loss of a simulated Gray-Scott pattern against a target, and its exact gradient.
 *
 * A thin VTK face of gs::lossGradient (the discrete adjoint of the explicit Euler program).
 * Input port 0, Target: image data with point array v (u too when IncludeU); its dimensions
 * and spacing are the simulation grid. Optional input port 1, InitialState: u and v of the
 * same dimensions; without it the seeded initial condition (Seed, NoiseAmplitude,
 * SeedPatchSize) is used. The run uses Du, Dv, F, k, TimeStep, NumberOfSteps and
 * SteadyStateTolerance as the Gray-Scott Pattern source does.
 *
 * Output: a one-row vtkTable with columns loss, dL_dDu, dL_dDv, dL_dF, dL_dk, steps; field
 * data Status (string), Valid (0/1), ForwardSteps and CheckpointMemoryPeak (bytes). When the
 * gradient does not exist (blow-up, not steady for Routing implicit, a loss that is not
 * translation invariant there) the row holds NaN and a warning gives the reason. Bad input
 * gives an error naming it and an empty table.
 */

#ifndef vtkGrayScottGradient_h
#define vtkGrayScottGradient_h

#include "GrayScottFiltersModule.h" // for export macro
#include "vtkGrayScottFailure.h"    // for gsvtk::Failure
#include "vtkTableAlgorithm.h"

class GRAYSCOTTFILTERS_EXPORT vtkGrayScottGradient : public vtkTableAlgorithm
{
public:
  static vtkGrayScottGradient* New();
  vtkTypeMacro(vtkGrayScottGradient, vtkTableAlgorithm);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  vtkSetMacro(Du, double);
  vtkGetMacro(Du, double);
  vtkSetMacro(Dv, double);
  vtkGetMacro(Dv, double);
  vtkSetMacro(F, double);
  vtkGetMacro(F, double);
  vtkSetMacro(k, double);
  vtkGetMacro(k, double);
  vtkSetMacro(TimeStep, double);
  vtkGetMacro(TimeStep, double);
  vtkSetMacro(NumberOfSteps, vtkTypeInt64);
  vtkGetMacro(NumberOfSteps, vtkTypeInt64);
  vtkSetMacro(SteadyStateTolerance, double);
  vtkGetMacro(SteadyStateTolerance, double);
  vtkSetMacro(Seed, vtkTypeInt64);
  vtkGetMacro(Seed, vtkTypeInt64);
  vtkSetMacro(NoiseAmplitude, double);
  vtkGetMacro(NoiseAmplitude, double);
  vtkSetMacro(SeedPatchSize, int);
  vtkGetMacro(SeedPatchSize, int);
  vtkSetMacro(Loss, int);
  vtkGetMacro(Loss, int);
  vtkSetMacro(IncludeU, bool);
  vtkGetMacro(IncludeU, bool);
  vtkSetMacro(TileSize, int);
  vtkGetMacro(TileSize, int);
  vtkSetMacro(Routing, int);
  vtkGetMacro(Routing, int);
  vtkSetMacro(TruncationSteps, vtkTypeInt64);
  vtkGetMacro(TruncationSteps, vtkTypeInt64);
  /// Memory for stored states of the reverse sweep, in MiB.
  vtkSetMacro(CheckpointMemory, double);
  vtkGetMacro(CheckpointMemory, double);

protected:
  vtkGrayScottGradient();
  ~vtkGrayScottGradient() override = default;

  int FillInputPortInformation(int port, vtkInformation* info) override;
  int RequestUpdateExtent(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int RequestData(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;

private:
  vtkGrayScottGradient(const vtkGrayScottGradient&) = delete;
  void operator=(const vtkGrayScottGradient&) = delete;

  // Defaults from Core, set by the constructor.
  double Du;
  double Dv;
  double F;
  double k;
  double TimeStep;
  vtkTypeInt64 NumberOfSteps;
  double SteadyStateTolerance;
  vtkTypeInt64 Seed;
  double NoiseAmplitude;
  int SeedPatchSize;
  int Loss;
  bool IncludeU;
  int TileSize;
  int Routing;
  vtkTypeInt64 TruncationSteps;
  double CheckpointMemory;
  gsvtk::Failure Failure;
};

#endif
