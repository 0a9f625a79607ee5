/**
 * @class   vtkGrayScottLossLandscape
 * @brief   Losses of Gray-Scott simulations over a 1D, 2D or 3D grid of parameter values.
 *
 * A thin VTK face of gs::Landscape. Every output point is a parameter set: the swept axes
 * (XParameter, YParameter, ZParameter, each Du, Dv, F or k; Y and Z may be None, or Horizon) take
 * Resolution values over their Range, the other parameters keep TrueParameters. The image's
 * origin is each range's minimum and its spacing the step, so a point's coordinates are its
 * parameter values and bifurcation curves or optimiser trajectories overlay it directly.
 *
 * Every point simulates NumberOfInitialConditions seeded initial conditions (Seed, Seed + 1,
 * ...) and compares each final v with a target:
 * - no input: the paper's protocol. Targets are simulated at TrueParameters from the same
 *   initial conditions, and condition j of a candidate is compared with target j;
 * - input Target (image data with a point array v, and u when IncludeU): every condition is
 *   compared with it. The simulation grid is then the Target's dimensions and spacing. With
 *   a Horizon, each candidate starts from it instead; with TargetSeries, from each of its
 *   time steps, compared with the one K steps later.
 * Point arrays: one per selected loss (pixel, logps, logps_windowed, logps_radial, gram; the
 * mean over conditions), steps (most Euler steps any condition took), converged (1 when every
 * condition reached SteadyStateTolerance > 0), pattern_class (gs::PatternClass; the most common
 * over conditions), mean_v; with ComputeGradient, gradient (one component per swept axis, named
 * after its parameter) and gradient_norm, from the discrete adjoint of GradientLoss. A
 * candidate beyond the explicit stability limit or that blows up has NaN losses and class 6.
 * Field data records the settings and the truth.
 *
 * Points are independent simulations run in parallel (TBB). The filter produces any
 * sub-extent it is asked for, so `mpirun -np N pvbatch` splits the grid across ranks with no
 * communication; the values do not depend on the split or the thread count. Finished points
 * are kept in memory while the settings stay the same, and with a CacheFile they are also
 * appended to that file as they finish: a rerun after an interruption (Abort, or even a kill)
 * computes only the missing points and gives the identical image.
 */

#ifndef vtkGrayScottLossLandscape_h
#define vtkGrayScottLossLandscape_h

#include "GrayScottFiltersModule.h" // for export macro
#include "vtkGrayScottFailure.h"    // for gsvtk::Failure
#include "vtkImageAlgorithm.h"
#include "vtkNew.h"          // for vtkNew
#include "vtkSmartPointer.h" // for the gathered frames

#include <cstdint> // for std::int64_t
#include <memory>  // for std::unique_ptr
#include <vector>  // for std::vector

class vtkDataArraySelection;
namespace gs
{
struct LandscapeSettings;
}

class GRAYSCOTTFILTERS_EXPORT vtkGrayScottLossLandscape : public vtkImageAlgorithm
{
public:
  static vtkGrayScottLossLandscape* New();
  vtkTypeMacro(vtkGrayScottLossLandscape, vtkImageAlgorithm);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  ///@{
  /// The unswept parameters (Du, Dv, F, k), and the targets' when there is no input.
  vtkSetVector4Macro(TrueParameters, double);
  vtkGetVector4Macro(TrueParameters, double);
  ///@}

  ///@{
  /// The swept parameter of each axis (ParameterType; X cannot be NONE), its range (min, max)
  /// and its number of points.
  vtkSetMacro(XParameter, int);
  vtkGetMacro(XParameter, int);
  vtkSetMacro(YParameter, int);
  vtkGetMacro(YParameter, int);
  vtkSetMacro(ZParameter, int);
  vtkGetMacro(ZParameter, int);
  vtkSetVector2Macro(XRange, double);
  vtkGetVector2Macro(XRange, double);
  vtkSetVector2Macro(YRange, double);
  vtkGetVector2Macro(YRange, double);
  vtkSetVector2Macro(ZRange, double);
  vtkGetVector2Macro(ZRange, double);
  vtkSetMacro(XResolution, int);
  vtkGetMacro(XResolution, int);
  vtkSetMacro(YResolution, int);
  vtkGetMacro(YResolution, int);
  vtkSetMacro(ZResolution, int);
  vtkGetMacro(ZResolution, int);
  ///@}

  ///@{
  /// Simulation settings, as on the Gray-Scott Pattern source. Dimensions and Spacing are
  /// unused when a Target is connected (its grid is used).
  vtkSetVector3Macro(Dimensions, int);
  vtkGetVector3Macro(Dimensions, int);
  vtkSetVector3Macro(Spacing, double);
  vtkGetVector3Macro(Spacing, double);
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
  vtkSetMacro(NumberOfInitialConditions, int);
  vtkGetMacro(NumberOfInitialConditions, int);
  ///@}

  ///@{
  /// 0: the paper's protocol. K >= 1: the horizon loss (gs::HorizonLoss), every candidate
  /// started from its target and compared with it after K steps; a Horizon axis (Y or Z
  /// Parameter 5) sets K per point instead.
  vtkSetMacro(Horizon, vtkTypeInt64);
  vtkGetMacro(Horizon, vtkTypeInt64);
  ///@}

  ///@{
  /// With a Horizon, shoot across the Target's time steps (every FrameStride-th) instead of
  /// holding one frame steady: each starts a segment compared with the frame K steps later
  /// (the segments of gs::HorizonLoss). Off, the Target gives the frame the pipeline asks
  /// for, or its last time step when the output has time steps of its own.
  vtkSetMacro(TargetSeries, bool);
  vtkGetMacro(TargetSeries, bool);
  vtkSetMacro(FrameStride, int);
  vtkGetMacro(FrameStride, int);
  ///@}

  ///@{
  /// What the output's time steps sweep (gs::LandscapeTime; names gs::landscapeTimeNames()):
  /// 0 nothing; 1 the horizon K, NumberOfTimeSteps log-spaced values from 1 to Horizon; 2 the
  /// paper's loss after t steps, log-spaced from 1 to NumberOfSteps. The time value is the
  /// step count; ParaView's time slider then shows the landscape form.
  vtkSetMacro(TimeSteps, int);
  vtkGetMacro(TimeSteps, int);
  vtkSetMacro(NumberOfTimeSteps, int);
  vtkGetMacro(NumberOfTimeSteps, int);
  ///@}

  ///@{
  /// Which losses to compute, by name (ParaView's array selection; default: all).
  vtkDataArraySelection* GetLossSelection();
  int GetNumberOfLossArrays();
  const char* GetLossArrayName(int index);
  int GetLossArrayStatus(const char* name);
  void SetLossArrayStatus(const char* name, int status);
  /// Deselects every loss: ParaView calls it before setting the statuses, so a list that
  /// names only some losses selects exactly those.
  void DisableAllLosses();
  ///@}

  ///@{
  /// Loss settings: also compare u; tile side of logps_windowed.
  vtkSetMacro(IncludeU, bool);
  vtkGetMacro(IncludeU, bool);
  vtkSetMacro(TileSize, int);
  vtkGetMacro(TileSize, int);
  ///@}

  ///@{
  /// The adjoint gradient at every point: loss (vtkGrayScottGradient::LossType order),
  /// routing (unrolled, truncated, implicit), truncation steps, checkpoint memory in MiB.
  vtkSetMacro(ComputeGradient, bool);
  vtkGetMacro(ComputeGradient, bool);
  vtkSetMacro(GradientLoss, int);
  vtkGetMacro(GradientLoss, int);
  vtkSetMacro(Routing, int);
  vtkGetMacro(Routing, int);
  vtkSetMacro(TruncationSteps, vtkTypeInt64);
  vtkGetMacro(TruncationSteps, vtkTypeInt64);
  vtkSetMacro(CheckpointMemory, double);
  vtkGetMacro(CheckpointMemory, double);
  ///@}

  ///@{
  /// File that keeps finished points across runs (empty: none). Several sweeps may share one.
  vtkSetStringMacro(CacheFile);
  vtkGetStringMacro(CacheFile);
  ///@}

  /// Points simulated by this filter since it was created (points found in memory or in the
  /// cache file are not counted).
  vtkGetMacro(NumberOfPointsComputed, vtkTypeInt64);
  /// Points of the last update taken from the cache file.
  vtkGetMacro(NumberOfPointsFromCache, vtkTypeInt64);

  ///@{
  /// The target's point arrays holding u and v (a Ready .vti: a and b).
  vtkSetStringMacro(UArrayName);
  vtkGetStringMacro(UArrayName);
  vtkSetStringMacro(VArrayName);
  vtkGetStringMacro(VArrayName);
  ///@}

  vtkMTimeType GetMTime() override;

protected:
  vtkGrayScottLossLandscape();
  ~vtkGrayScottLossLandscape() override;

  int FillInputPortInformation(int port, vtkInformation* info) override;
  int RequestInformation(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int RequestUpdateExtent(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int RequestData(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;

private:
  vtkGrayScottLossLandscape(const vtkGrayScottLossLandscape&) = delete;
  void operator=(const vtkGrayScottLossLandscape&) = delete;
  /// The properties as Core settings (Core checks them); the grid is Dimensions and Spacing.
  gs::LandscapeSettings Settings();
  /// The time steps the output offers (empty for none); throws gs::Error for bad settings.
  std::vector<std::int64_t> TimeValues();
  /// The Target's times to gather (RequestUpdateExtent asks for one per pass); empty to take
  /// the time the pipeline asks for.
  std::vector<double> TargetTimesToGather(vtkInformation* inInfo);

  // Defaults from Core (gs::LandscapeSettings::paper()), set by the constructor.
  double TrueParameters[4];
  int XParameter;
  int YParameter;
  int ZParameter;
  double XRange[2];
  double YRange[2];
  double ZRange[2];
  int XResolution;
  int YResolution;
  int ZResolution;
  int Dimensions[3];
  double Spacing[3];
  double TimeStep;
  vtkTypeInt64 NumberOfSteps;
  double SteadyStateTolerance;
  vtkTypeInt64 Seed;
  double NoiseAmplitude;
  int SeedPatchSize;
  int NumberOfInitialConditions;
  vtkTypeInt64 Horizon;
  bool TargetSeries = false;
  int FrameStride = 1;
  int TimeSteps = 0;
  int NumberOfTimeSteps = 8;
  vtkNew<vtkDataArraySelection> LossSelection;
  bool IncludeU;
  int TileSize;
  bool ComputeGradient;
  int GradientLoss;
  int Routing;
  vtkTypeInt64 TruncationSteps;
  double CheckpointMemory;
  char* CacheFile = nullptr;
  char* UArrayName = nullptr;
  char* VArrayName = nullptr;
  vtkTypeInt64 NumberOfPointsComputed = 0;
  vtkTypeInt64 NumberOfPointsFromCache = 0;
  // The Target's frames, gathered one pass of the pipeline each.
  std::vector<double> TargetTimes;
  std::vector<vtkSmartPointer<vtkDataObject>> TargetFrames;

  struct vtkInternals;
  std::unique_ptr<vtkInternals> Internals;
  gsvtk::Failure Failure;
};

#endif
