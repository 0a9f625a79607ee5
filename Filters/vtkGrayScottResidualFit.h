/**
 * @class   vtkGrayScottResidualFit
 * @brief   Closed-form recovery of (Du, Dv, F, k) from the Gray-Scott PDE residual.
 *
 * A thin VTK face of gs::fitResidual. The residual of the model is linear in the parameters,
 * so its least-squares minimum is found in closed form from the data, without simulating.
 * Input: image data with point arrays for u and v (UArrayName, VArrayName), one snapshot or a
 * time series (a temporal input: every FrameStride-th time step is requested). UArrayName
 * "None": only v is observed (every cell): Steady and WeakForm (one frame) take u as the latent
 * solution of the steady u equation, TimeSeries (forward) takes it from the v equation. Cells
 * where a
 * value is NaN, or where the optional ValidArrayName array is 0, are unobserved. Methods:
 * Steady (each frame a steady state; a temporal input uses the current time step), TimeSeries
 * (u_t from consecutive frames, forward or central difference), WeakForm (test functions,
 * no derivative of the data). Completion Smoothing first fills unobserved cells and smooths
 * noise (regularised least squares, CompletionSmoothing = lambda, CompletionOrder = the
 * penalty's order); Completion NeuralField replaces the data by a neural field trained on the
 * observed cells (one network from (x, y[, z][, t]) to (u, v)), the paper's "network fixed"
 * PINN: the fit on its field stays closed-form. NoiseVariance removes the bias noise puts on
 * u v^2.
 *
 * Output port 0: vtkTable, one row per parameter: parameter (Du, Dv, F, k), estimate,
 * standard_error, fitted (1 estimated, 0 fixed), identifiable (1 when the data determine it);
 * field data Verdict, SingularValues, ConditionNumber, ResidualNorm, Equations, Frames,
 * Method. A parameter the data cannot determine has a NaN estimate and the verdict says why.
 * Output port 1: the residual fields r_u, r_v at the estimate (unfitted or undetermined
 * parameters at FixedValues), on the input's grid, to show where the model fails; with a
 * completion also u_completed, v_completed, the completed fields of the last frame; with u
 * unobserved u_latent, the u the fit inferred.
 */

#ifndef vtkGrayScottResidualFit_h
#define vtkGrayScottResidualFit_h

#include "GrayScottFiltersModule.h" // for export macro
#include "vtkGrayScottFailure.h"    // for gsvtk::Failure
#include "vtkMultiTimeStepAlgorithm.h"
#include "vtkNew.h" // for vtkNew

#include <string> // for std::string
#include <vector> // for std::vector

class vtkDataArraySelection;
namespace gs
{
struct ResidualSettings;
}

class GRAYSCOTTFILTERS_EXPORT vtkGrayScottResidualFit : public vtkMultiTimeStepAlgorithm
{
public:
  static vtkGrayScottResidualFit* New();
  vtkTypeMacro(vtkGrayScottResidualFit, vtkMultiTimeStepAlgorithm);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  vtkSetMacro(Method, int);
  vtkGetMacro(Method, int);
  vtkSetMacro(TimeDifference, int);
  vtkGetMacro(TimeDifference, int);
  /// gs::Discretisation: 0 Stencil, 1 Spectral (the strong forms only).
  vtkSetMacro(Discretisation, int);
  vtkGetMacro(Discretisation, int);
  vtkSetStringMacro(UArrayName);
  vtkGetStringMacro(UArrayName);
  vtkSetStringMacro(VArrayName);
  vtkGetStringMacro(VArrayName);
  /// Optional point array marking observed cells (non-zero) and unobserved ones (0).
  vtkSetStringMacro(ValidArrayName);
  vtkGetStringMacro(ValidArrayName);

  ///@{
  /// Parameters held fixed (by name, ParaView's array selection; default: none), and the
  /// values of all four (Du, Dv, F, k) used for the fixed ones.
  vtkDataArraySelection* GetFixedParameterSelection();
  int GetNumberOfFixedParameterArrays();
  const char* GetFixedParameterArrayName(int index);
  int GetFixedParameterArrayStatus(const char* name);
  void SetFixedParameterArrayStatus(const char* name, int status);
  void DisableAllFixedParameters();
  vtkSetVector4Macro(FixedValues, double);
  vtkGetVector4Macro(FixedValues, double);
  ///@}

  /// Weak form: test-function support side in cells and count per axis (0: automatic).
  vtkSetMacro(TestFunctionSize, int);
  vtkGetMacro(TestFunctionSize, int);
  vtkSetMacro(TestFunctionsPerAxis, int);
  vtkGetMacro(TestFunctionsPerAxis, int);
  /// Use every FrameStride-th time step of a temporal input.
  vtkSetMacro(FrameStride, int);
  vtkGetMacro(FrameStride, int);
  vtkSetMacro(Completion, int);
  vtkGetMacro(Completion, int);
  vtkSetMacro(CompletionSmoothing, double);
  vtkGetMacro(CompletionSmoothing, double);
  /// Order of the completion's penalty: 1 gradient, 2 curvature, 3 gradient of curvature, 4.
  vtkSetMacro(CompletionOrder, int);
  vtkGetMacro(CompletionOrder, int);
  /// The neural-field completion (gs::completeWithNeuralField): Adam steps, Fourier features,
  /// their scale in cycles per domain (0: one per 10 cells), units per hidden layer, hidden
  /// layers, the first learning rate (decaying to 1/100 of it at the last step), and the seed.
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
  /// Variance of the noise on v, removed from the u v^2 term: 0 none, -1 estimated from the
  /// data (gs::estimateNoiseVariance), > 0 known.
  vtkSetMacro(NoiseVariance, double);
  vtkGetMacro(NoiseVariance, double);
  /// With noise, the standard errors from a parametric bootstrap of this many replicates (0:
  /// the least-squares formula): gs::ResidualSettings::intervalReplicates.
  vtkSetMacro(IntervalReplicates, int);
  vtkGetMacro(IntervalReplicates, int);
  /// gs::observationNames(): 0 Concentration (v itself), 1 Intensity (a v + b with a, b
  /// unknown, fitted too: gs::Observations::intensity; with U Array None, steady frames).
  vtkSetMacro(Observation, int);
  vtkGetMacro(Observation, int);

  vtkMTimeType GetMTime() override;

protected:
  vtkGrayScottResidualFit();
  ~vtkGrayScottResidualFit() override;

  int FillInputPortInformation(int port, vtkInformation* info) override;
  int FillOutputPortInformation(int port, vtkInformation* info) override;
  int RequestInformation(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int RequestUpdateExtent(vtkInformation*, vtkInformationVector**, vtkInformationVector*) override;
  int Execute(vtkInformation* request, const std::vector<vtkSmartPointer<vtkDataObject>>& inputs,
    vtkInformationVector* outputVector) override;

private:
  vtkGrayScottResidualFit(const vtkGrayScottResidualFit&) = delete;
  void operator=(const vtkGrayScottResidualFit&) = delete;
  /// The properties as Core settings, checked.
  gs::ResidualSettings Settings();

  int Method;
  int TimeDifference;
  int Discretisation;
  char* UArrayName = nullptr;
  char* VArrayName = nullptr;
  char* ValidArrayName = nullptr;
  vtkNew<vtkDataArraySelection> FixedParameterSelection;
  double FixedValues[4];
  int TestFunctionSize;
  int TestFunctionsPerAxis;
  int FrameStride = 1;
  int Completion;
  double CompletionSmoothing;
  int CompletionOrder;
  double NoiseVariance;
  int IntervalReplicates;
  int Observation = 0;
  int NeuralFieldIterations;
  int NeuralFieldFeatures;
  double NeuralFieldFeatureScale;
  int NeuralFieldWidth;
  int NeuralFieldLayers;
  double NeuralFieldLearningRate;
  int NeuralFieldSeed;
  std::vector<double> RequestedTimes;
  gsvtk::Failure Failure;
};

#endif
