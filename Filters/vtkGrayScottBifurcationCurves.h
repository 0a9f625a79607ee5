/**
 * @class   vtkGrayScottBifurcationCurves
 * @brief   Bifurcation curves of the well-mixed Gray-Scott system in the (F, k) plane.
 *
 * A thin VTK face of gs::bifurcation::curves and gs::bifurcation::pearsonClasses, drawn in
 * the coordinates of a loss landscape image over (F, k): a landscape image has origin = range
 * minimum and spacing = parameter step, so its x coordinate is the parameter value. Every
 * point here is therefore (F, k, Elevation), or (k, F, Elevation) when XParameter is k.
 *
 * Output port 0, the curves: vtkPolyData with one polyline per curve piece, sampled with
 * Samples points (the saddle-node curve may have one more: its tip (1/16, 1/16), where the
 * Hopf curve ends). Points outside FRange x KRange are dropped, so a curve that leaves the
 * box and comes back is two polylines. Cell data: curve (string: "saddle-node", "hopf",
 * "turing") and curve_id (int: 0, 1, 2; the active scalars, for colouring). The curves:
 * - saddle-node: F = 4 (F + k)^2, where the two uniform states other than (1, 0) appear;
 * - hopf: (F + k)^2 = F sqrt(k) with F <= k, where the upper uniform state changes stability;
 * - turing: where diffusion (Du, Dv) destabilises the upper uniform state (see
 *   Core/gs/Bifurcation.h for the condition); it moves with Du and Dv.
 *
 * Output port 1, Pearson's (1993) named pattern classes inside the ranges: vtkPolyData with
 * one vertex per class and a point string array label ("alpha", "beta", ...), for ParaView's
 * point labels (of a selection of these points).
 *
 * Bad input (non-finite values, a range that is inverted, empty or below 0, negative Du or
 * Dv, Samples < 2 or more than memory holds, an unknown XParameter) gives a vtkErrorMacro
 * naming the problem and two empty outputs. Progress is reported; Abort gives empty outputs
 * and a warning.
 */

#ifndef vtkGrayScottBifurcationCurves_h
#define vtkGrayScottBifurcationCurves_h

#include "GrayScottFiltersModule.h" // for export macro
#include "vtkGrayScottFailure.h"    // for gsvtk::Failure
#include "vtkPolyDataAlgorithm.h"

class GRAYSCOTTFILTERS_EXPORT vtkGrayScottBifurcationCurves : public vtkPolyDataAlgorithm
{
public:
  static vtkGrayScottBifurcationCurves* New();
  vtkTypeMacro(vtkGrayScottBifurcationCurves, vtkPolyDataAlgorithm);
  void PrintSelf(ostream& os, vtkIndent indent) override;

  ///@{
  /// Ranges of F and k shown (finite, 0 <= min < max). Defaults (0, 0.1) and (0, 0.08): the
  /// whole bifurcation picture, around the paper's landscape F 0.03-0.07, k 0.053-0.068.
  vtkSetVector2Macro(FRange, double);
  vtkGetVector2Macro(FRange, double);
  vtkSetVector2Macro(KRange, double);
  vtkGetVector2Macro(KRange, double);
  ///@}

  ///@{
  /// Diffusion coefficients of u and v for the Turing boundary (finite, >= 0). Defaults the
  /// paper's truth, 0.16 and 0.08.
  vtkSetMacro(Du, double);
  vtkGetMacro(Du, double);
  vtkSetMacro(Dv, double);
  vtkGetMacro(Dv, double);
  ///@}

  ///@{
  /// Points per curve (>= 2). Default 400.
  vtkSetMacro(Samples, int);
  vtkGetMacro(Samples, int);
  ///@}

  ///@{
  /// PARAMETER_F (default): points are (F, k, Elevation); PARAMETER_K: (k, F, Elevation).
  vtkSetMacro(XParameter, int);
  vtkGetMacro(XParameter, int);
  ///@}

  ///@{
  /// z coordinate of every point (finite). Default 0.
  vtkSetMacro(Elevation, double);
  vtkGetMacro(Elevation, double);
  ///@}

protected:
  vtkGrayScottBifurcationCurves();
  ~vtkGrayScottBifurcationCurves() override = default;

  int RequestData(vtkInformation* request, vtkInformationVector** inputVector,
    vtkInformationVector* outputVector) override;

  // Defaults from Core (gs::bifurcation::DrawingSettings), set by the constructor.
  double FRange[2];
  double KRange[2];
  double Du;
  double Dv;
  int Samples;
  int XParameter;
  double Elevation;

private:
  vtkGrayScottBifurcationCurves(const vtkGrayScottBifurcationCurves&) = delete;
  void operator=(const vtkGrayScottBifurcationCurves&) = delete;
  gsvtk::Failure Failure;
};

#endif
