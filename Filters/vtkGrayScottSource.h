/**
 * @class   vtkGrayScottSource
 * @brief   Gray-Scott reaction-diffusion pattern on a periodic image grid.
 *
 * A thin VTK face of the Core solver (gs::Stepper): it turns properties into Core
 * structs, runs Core, and returns the fields u and v as double point arrays of a
 * vtkImageData (origin 0, spacing = Spacing, extent 0..n-1 per axis).
 *
 * Field data of every non-empty output:
 * - StepsTaken (int64): Euler steps from this source's initial state to this output.
 * - Converged (int): 1 when the run reached steady state (SteadyStateTolerance > 0).
 * - BlowUp (int): 1 when a value became non-finite or v left [0, 1].
 * - Status (string): gs::toString of the run status ("finished", "converged", ...).
 * - Parameters (double, 4 components Du, Dv, F, k).
 * - LastChange (double): largest per-step change of the last step (0 without a tolerance).
 *
 * Time: with OutputInterval > 0 the output has time steps 0, I*dt, 2*I*dt, ..., N*dt
 * (I = OutputInterval, N = NumberOfSteps; the last is N*dt even when N is not a
 * multiple of I). A request shows the last frame at or before the requested time (the
 * first frame without a time request, as VTK readers do). Every frame computed is cached, so
 * scrubbing back is free and a later frame continues from the latest cached one. The cache is
 * dropped when a property value or the input changes. After steady state (or a blow-up) at step s,
 * later frames equal the state at s.
 *
 * Optional input InitialState (port 0): vtkImageData with point arrays u and v (one
 * component each) whose dimensions equal Dimensions; it replaces the seeded initial
 * condition (Seed, NoiseAmplitude and SeedPatchSize are then unused). Its spacing and
 * origin are ignored: the model's grid is Dimensions and Spacing. The time asked of this
 * source is asked of the InitialState too (one animation clock). (In pvpython,
 * paraview.simple connects the active source to this port unless InitialState=None is given.)
 *
 * ReadyFile: a Ready pattern file (.vti with Ready's <RD> element, any data format; see
 * vtkGrayScottReadyReader). When set it replaces Du, Dv, F, k, Dimensions, Spacing and
 * TimeStep by the file's rule and grid (gs::readyModel), and the seeded initial condition by
 * the file's chemicals a, b when they hold a state. It cannot be combined with InitialState.
 *
 * Bad input (non-finite or negative parameters, bad dimensions, spacing or time step, an
 * unstable step, not enough memory, an InitialState without u/v or with other dimensions)
 * gives a vtkErrorMacro that names the problem and an empty output. Values are range
 * checked, not clamped: a silent clamp would hide a wrong value from a script.
 *
 * The output is the requested sub-extent of the whole grid, so pieces work in parallel
 * (every rank runs the whole, deterministic simulation).
 */

#ifndef vtkGrayScottSource_h
#define vtkGrayScottSource_h

#include "GrayScottFiltersModule.h" // for export macro
#include "vtkGrayScottFailure.h"    // for gsvtk::Failure
#include "vtkImageAlgorithm.h"

#include <memory> // for std::unique_ptr

class vtkImageData;

namespace gs
{
struct Frame;
struct Parameters;
}

class GRAYSCOTTFILTERS_EXPORT vtkGrayScottSource : public vtkImageAlgorithm
{
public:
  static vtkGrayScottSource* New();
  vtkTypeMacro(vtkGrayScottSource, vtkImageAlgorithm);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  ///@{
  /// Model parameters (finite, >= 0). Defaults: the paper's truth 0.16, 0.08, 0.035, 0.065.
  vtkSetMacro(Du, double);
  vtkGetMacro(Du, double);
  vtkSetMacro(Dv, double);
  vtkGetMacro(Dv, double);
  vtkSetMacro(F, double);
  vtkGetMacro(F, double);
  vtkSetMacro(k, double);
  vtkGetMacro(k, double);
  ///@}

  ///@{
  /// Grid cells per axis (>= 1; a third value of 1 is a 2D grid). Default 128 x 128 x 1.
  vtkSetVector3Macro(Dimensions, int);
  vtkGetVector3Macro(Dimensions, int);
  ///@}

  ///@{
  /// Cell size per axis (finite, > 0). Default 1.
  vtkSetVector3Macro(Spacing, double);
  vtkGetVector3Macro(Spacing, double);
  ///@}

  ///@{
  /// Explicit Euler time step (finite, > 0, within the stability limit). Default 1.
  vtkSetMacro(TimeStep, double);
  vtkGetMacro(TimeStep, double);
  ///@}

  ///@{
  /// Steps to run, or the cap when SteadyStateTolerance > 0 (>= 0). Default 40000.
  vtkSetMacro(NumberOfSteps, vtkTypeInt64);
  vtkGetMacro(NumberOfSteps, vtkTypeInt64);
  ///@}

  ///@{
  /// 0: run exactly NumberOfSteps. > 0: stop once the largest per-step change of u and v
  /// is below it. Default 1e-4.
  vtkSetMacro(SteadyStateTolerance, double);
  vtkGetMacro(SteadyStateTolerance, double);
  ///@}

  ///@{
  /// Initial condition: generator seed (>= 0), noise amplitude (>= 0) and side of the
  /// central seed patch in cells (>= 0). Defaults 0, 0.02, 20.
  vtkSetMacro(Seed, vtkTypeInt64);
  vtkGetMacro(Seed, vtkTypeInt64);
  vtkSetMacro(NoiseAmplitude, double);
  vtkGetMacro(NoiseAmplitude, double);
  vtkSetMacro(SeedPatchSize, int);
  vtkGetMacro(SeedPatchSize, int);
  ///@}

  ///@{
  /// Steps between output time steps (>= 0); 0: no time steps, one run. Default 0.
  vtkSetMacro(OutputInterval, int);
  vtkGetMacro(OutputInterval, int);
  ///@}

  ///@{
  /// The solver, gs::Scheme: 0 Euler (default; the paper's explicit Euler with the stencil),
  /// 1 Spectral (ETDRK4, Fourier pseudo-spectral; 2D; frames the stencil never made).
  vtkSetMacro(Scheme, int);
  vtkGetMacro(Scheme, int);
  ///@}

  ///@{
  /// A Ready pattern file whose rule, grid and state the source takes; empty (default): none.
  vtkSetStringMacro(ReadyFile);
  vtkGetStringMacro(ReadyFile);
  ///@}

  /// Euler steps this object has computed since it was created: lets tests (and curious
  /// users) see that cached frames are not recomputed.
  vtkGetMacro(NumberOfStepsComputed, vtkIdType);

  /// Number of frames held in the cache.
  int GetNumberOfCachedFrames();

protected:
  vtkGrayScottSource();
  ~vtkGrayScottSource() override;

  int FillInputPortInformation(int port, vtkInformation* info) override;
  int RequestInformation(vtkInformation* request, vtkInformationVector** inputVector,
    vtkInformationVector* outputVector) override;
  int RequestUpdateExtent(vtkInformation* request, vtkInformationVector** inputVector,
    vtkInformationVector* outputVector) override;
  int RequestData(vtkInformation* request, vtkInformationVector** inputVector,
    vtkInformationVector* outputVector) override;

  double Du;
  double Dv;
  double F;
  double k;
  int Dimensions[3];
  double Spacing[3];
  double TimeStep;
  vtkTypeInt64 NumberOfSteps;
  double SteadyStateTolerance;
  vtkTypeInt64 Seed;
  double NoiseAmplitude;
  int SeedPatchSize;
  int OutputInterval;
  int Scheme;
  char* ReadyFile;
  vtkIdType NumberOfStepsComputed;

private:
  vtkGrayScottSource(const vtkGrayScottSource&) = delete;
  void operator=(const vtkGrayScottSource&) = delete;

  struct vtkInternals;
  void FillOutput(const gs::Frame& frame, const gs::Parameters& parameters, vtkInformation* outInfo,
    vtkImageData* output);
  /// The ReadyFile as read (nullptr without one); throws gs::Error naming why it cannot be used.
  vtkImageData* ReadReadyFile();

  std::unique_ptr<vtkInternals> Internals;
  gsvtk::Failure Failure;
};

#endif
