/**
 * @class   vtkGrayScottInversion
 * @brief   Which parameters made this pattern? Gradient descent, residual fit, or both.
 *
 * A thin VTK face of gs::invert. Input: the observed target, image data with u and v (one
 * snapshot, or a time series for the residual fit's TimeSeries and WeakForm methods; the
 * gradient methods compare with the last frame's v). UArrayName "None": only v is observed;
 * the residual fit then takes the latent u of the steady u equation, the PINN refuses.
 * - Gradient: descent with the adjoint gradient of Loss (routed by Routing) over a batch of
 *   BatchSize seeded simulations per iteration, with the paper's SGD (weight decay, trial-step
 *   learning-rate safety, softplus/sigmoid reparameterisation) or Adam.
 * - ResidualFit: the closed-form fit of the PDE residual (ResidualMethod).
 * - Hybrid: the residual estimate as the start, then gradient refinement.
 * - PINN: a neural field for (u, v) and the parameters trained together on data loss plus
 *   PINNResidualWeight times the residual loss of the network's field (NeuralField* settings;
 *   one history row per Adam step).
 * - Shooting: the horizon loss of multiple shooting (gs::fitByShooting) by continuation, from
 *   one step (the residual's quadratic) growing by HorizonGrowth up to FinalHorizon, each
 *   stage at most StageIterations Gauss-Newton steps from the last one's estimate; one steady
 *   frame (ResidualMethod Steady) or the series. A history row per accepted step, with the
 *   stage's horizon in the column horizon.
 *
 * Output port 0: vtkTable history, one row per iteration: iteration, loss, Du, Dv, F, k,
 * gradient_norm, learning_rate, accepted. Port 1: the trajectory as a polyline whose point
 * coordinates are the parameters on the axes of a landscape (XParameter, YParameter,
 * ZParameter; Z may also be the loss times ZScale, or none), with point data iteration and
 * loss. Port 2: the pattern simulated at the final estimate from the first seeded initial
 * condition. Abort keeps the history so far.
 */

#ifndef vtkGrayScottInversion_h
#define vtkGrayScottInversion_h

#include "GrayScottFiltersModule.h" // for export macro
#include "vtkGrayScottFailure.h"    // for gsvtk::Failure
#include "vtkMultiTimeStepAlgorithm.h"
#include "vtkNew.h" // for vtkNew

#include <string> // for std::string
#include <vector> // for std::vector

class vtkDataArraySelection;
namespace gs
{
struct InversionSettings;
}
class vtkPolyData;
class vtkTable;

class GRAYSCOTTFILTERS_EXPORT vtkGrayScottInversion : public vtkMultiTimeStepAlgorithm
{
public:
  static vtkGrayScottInversion* New();
  vtkTypeMacro(vtkGrayScottInversion, vtkMultiTimeStepAlgorithm);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  vtkSetMacro(Method, int);
  vtkGetMacro(Method, int);
  vtkSetVector4Macro(InitialGuess, double);
  vtkGetVector4Macro(InitialGuess, double);

  ///@{
  /// The parameters to fit, by name (ParaView's array selection; default: all four).
  vtkDataArraySelection* GetFitParameterSelection();
  int GetNumberOfFitParameterArrays();
  const char* GetFitParameterArrayName(int index);
  int GetFitParameterArrayStatus(const char* name);
  void SetFitParameterArrayStatus(const char* name, int status);
  void DisableAllFitParameters();
  ///@}

  vtkSetMacro(Iterations, int);
  vtkGetMacro(Iterations, int);
  vtkSetMacro(LearningRate, double);
  vtkGetMacro(LearningRate, double);
  vtkSetMacro(Optimizer, int);
  vtkGetMacro(Optimizer, int);
  vtkSetMacro(WeightDecay, double);
  vtkGetMacro(WeightDecay, double);
  vtkSetMacro(Reparameterise, bool);
  vtkGetMacro(Reparameterise, bool);
  vtkSetMacro(Loss, int);
  vtkGetMacro(Loss, int);
  vtkSetMacro(Routing, int);
  vtkGetMacro(Routing, int);
  vtkSetMacro(TruncationSteps, vtkTypeInt64);
  vtkGetMacro(TruncationSteps, vtkTypeInt64);
  vtkSetMacro(CheckpointMemory, double);
  vtkGetMacro(CheckpointMemory, double);
  vtkSetMacro(BatchSize, int);
  vtkGetMacro(BatchSize, int);

  ///@{
  /// Simulation settings with the Gray-Scott Pattern source's names.
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
  ///@}

  /// The residual fit's method (vtkGrayScottResidualFit::MethodType) and frame stride.
  vtkSetMacro(ResidualMethod, int);
  vtkGetMacro(ResidualMethod, int);
  /// What the V Array holds, gs::observationNames(): 0 Concentration, 1 Intensity (a v + b with
  /// a, b unknown: gs::Observations::intensity; ResidualFit and Hybrid, U Array None).
  vtkSetMacro(Observation, int);
  vtkGetMacro(Observation, int);
  /// The residual fit's gs::Discretisation: 0 Stencil, 1 Spectral (not for the PINN).
  vtkSetMacro(Discretisation, int);
  vtkGetMacro(Discretisation, int);
  vtkSetMacro(FrameStride, int);
  vtkGetMacro(FrameStride, int);

  ///@{
  /// PINN: the network (as vtkGrayScottResidualFit's neural-field completion; its iterations
  /// are the training's steps), the residual term's weight, and Adam's first step on
  /// log(parameter).
  vtkSetMacro(NeuralFieldIterations, int);
  vtkGetMacro(NeuralFieldIterations, int);
  vtkSetMacro(NeuralFieldFeatures, int);
  vtkGetMacro(NeuralFieldFeatures, int);
  vtkSetMacro(NeuralFieldFeatureScale, double);
  vtkGetMacro(NeuralFieldFeatureScale, double);
  vtkSetMacro(NeuralFieldWidth, int);
  vtkGetMacro(NeuralFieldWidth, int);
  vtkSetMacro(NeuralFieldLayers, int);
  vtkGetMacro(NeuralFieldLayers, int);
  vtkSetMacro(NeuralFieldLearningRate, double);
  vtkGetMacro(NeuralFieldLearningRate, double);
  vtkSetMacro(NeuralFieldSeed, int);
  vtkGetMacro(NeuralFieldSeed, int);
  vtkSetMacro(PINNResidualWeight, double);
  vtkGetMacro(PINNResidualWeight, double);
  vtkSetMacro(PINNParameterLearningRate, double);
  vtkGetMacro(PINNParameterLearningRate, double);
  ///@}

  ///@{
  /// Method Shooting: the last stage's horizon, the growth from stage to stage and the
  /// Gauss-Newton steps a stage may take (gs::ShootingSettings).
  vtkSetMacro(FinalHorizon, vtkTypeInt64);
  vtkGetMacro(FinalHorizon, vtkTypeInt64);
  vtkSetMacro(HorizonGrowth, double);
  vtkGetMacro(HorizonGrowth, double);
  vtkSetMacro(StageIterations, int);
  vtkGetMacro(StageIterations, int);
  ///@}

  ///@{
  /// Trajectory axes (AxisType; X and Y a parameter, Z a parameter, NONE or LOSS) and the
  /// factor on a LOSS z, to match a landscape warped by the loss.
  vtkSetMacro(XParameter, int);
  vtkGetMacro(XParameter, int);
  vtkSetMacro(YParameter, int);
  vtkGetMacro(YParameter, int);
  vtkSetMacro(ZParameter, int);
  vtkGetMacro(ZParameter, int);
  vtkSetMacro(ZScale, double);
  vtkGetMacro(ZScale, double);
  ///@}

  ///@{
  /// The target's point arrays holding u and v (a Ready .vti: a and b).
  vtkSetStringMacro(UArrayName);
  vtkGetStringMacro(UArrayName);
  vtkSetStringMacro(VArrayName);
  vtkGetStringMacro(VArrayName);
  ///@}

  vtkMTimeType GetMTime() override;

protected:
  vtkGrayScottInversion();
  ~vtkGrayScottInversion() override;

  int FillInputPortInformation(int port, vtkInformation* info) override;
  int FillOutputPortInformation(int port, vtkInformation* info) override;
  int RequestInformation(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int RequestUpdateExtent(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int Execute(vtkInformation* request, const std::vector<vtkSmartPointer<vtkDataObject>>& inputs,
    vtkInformationVector* outputVector) override;

private:
  vtkGrayScottInversion(const vtkGrayScottInversion&) = delete;
  void operator=(const vtkGrayScottInversion&) = delete;
  /// The properties as Core settings, checked by Core.
  gs::InversionSettings Settings();

  // Defaults: Core's gs::InversionSettings (set in the constructor).
  int Method;
  double InitialGuess[4];
  vtkNew<vtkDataArraySelection> FitParameterSelection;
  int Iterations;
  double LearningRate;
  int Optimizer;
  double WeightDecay;
  bool Reparameterise;
  int Loss;
  int Routing;
  vtkTypeInt64 TruncationSteps;
  double CheckpointMemory;
  int BatchSize;
  double TimeStep;
  vtkTypeInt64 NumberOfSteps;
  double SteadyStateTolerance;
  vtkTypeInt64 Seed;
  double NoiseAmplitude;
  int SeedPatchSize;
  int ResidualMethod;
  int Discretisation;
  int Observation = 0;
  int FrameStride = 1;
  int NeuralFieldIterations;
  int NeuralFieldFeatures;
  double NeuralFieldFeatureScale;
  int NeuralFieldWidth;
  int NeuralFieldLayers;
  double NeuralFieldLearningRate;
  int NeuralFieldSeed;
  double PINNResidualWeight;
  double PINNParameterLearningRate;
  vtkTypeInt64 FinalHorizon;
  double HorizonGrowth;
  int StageIterations;
  int XParameter;
  int YParameter;
  int ZParameter;
  double ZScale;
  std::vector<double> RequestedTimes;
  char* UArrayName = nullptr;
  char* VArrayName = nullptr;
  // The executive runs a failed request again for the other output ports (their empty images
  // never cover the extent asked for); the same error is reported once.
  gsvtk::Failure Failure;
  // The partial history of an aborted descent: the executive runs the filter again for its
  // other output ports while the abort flag is still set, and those runs give it back.
  vtkSmartPointer<vtkTable> AbortedHistory;
  vtkSmartPointer<vtkPolyData> AbortedTrajectory;
};

#endif
