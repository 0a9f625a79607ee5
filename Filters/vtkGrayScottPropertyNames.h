/**
 * The one place where Core's names of settings fields become the property names a ParaView
 * user sets. Core writes each rule once, naming the field in braces ("{run.steps} must be
 * non-negative"); a filter reports the message through gsvtk::PropertyMessage, so it reads
 * "NumberOfSteps must be non-negative". Internal to the Filters module (not wrapped).
 */

#ifndef vtkGrayScottPropertyNames_h
#define vtkGrayScottPropertyNames_h

#include <gs/Grid.h>

#include <string>
#include <utility>

namespace gsvtk
{

/// The property that sets Core's field `field` (the field itself when no property does).
inline std::string PropertyName(const std::string& field)
{
  static const std::pair<const char*, const char*> names[] = {
    { "x.parameter", "XParameter" },
    { "y.parameter", "YParameter" },
    { "z.parameter", "ZParameter" },
    { "x.range", "XRange" },
    { "y.range", "YRange" },
    { "z.range", "ZRange" },
    { "x.resolution", "XResolution" },
    { "y.resolution", "YResolution" },
    { "z.resolution", "ZResolution" },
    { "truth", "TrueParameters" },
    { "initialConditions", "NumberOfInitialConditions" },
    { "losses", "Losses" },
    { "horizon", "Horizon" },
    { "landscapeTime", "TimeSteps" },
    { "landscapeTimeCount", "NumberOfTimeSteps" },
    { "horizon.horizon", "Horizon" },
    { "shooting.finalHorizon", "FinalHorizon" },
    { "shooting.growth", "HorizonGrowth" },
    { "shooting.iterationsPerStage", "StageIterations" },
    { "loss.tileSize", "TileSize" },
    { "gradientSettings.checkpointBytes", "CheckpointMemory" },
    { "gradient.checkpointBytes", "CheckpointMemory" },
    { "network.iterations", "NeuralFieldIterations" },
    { "network.features", "NeuralFieldFeatures" },
    { "network.featureScale", "NeuralFieldFeatureScale" },
    { "network.width", "NeuralFieldWidth" },
    { "network.hiddenLayers", "NeuralFieldLayers" },
    { "network.learningRate", "NeuralFieldLearningRate" },
    { "network.finalLearningRate", "NeuralFieldLearningRate" },
    { "iterations", "Iterations" },
    { "batch", "BatchSize" },
    { "learningRate", "LearningRate" },
    { "weightDecay", "WeightDecay" },
    { "fit", "FitParameters" },
    { "initialGuess", "InitialGuess" },
    { "pinn.residualWeight", "PINNResidualWeight" },
    { "pinn.parameterLearningRate", "PINNParameterLearningRate" },
    { "gradient.truncationSteps", "TruncationSteps" },
    { "smoothing.lambda", "CompletionSmoothing" },
    { "smoothing.order", "CompletionOrder" },
    { "fRange", "FRange" },
    { "kRange", "KRange" },
    { "samples", "Samples" },
    { "elevation", "Elevation" },
    { "run.dt", "TimeStep" },
    { "run.steps", "NumberOfSteps" },
    { "run.steadyStateTolerance", "SteadyStateTolerance" },
    { "grid.dimensions", "Dimensions" },
    { "grid.spacing", "Spacing" },
    { "initialCondition.noiseAmplitude", "NoiseAmplitude" },
    { "initialCondition.patchSize", "SeedPatchSize" },
    { "series.interval", "OutputInterval" },
    { "series.scheme", "Scheme" },
    { "discretisation", "Discretisation" },
    { "method", "Method" },
    { "difference", "TimeDifference" },
    { "residual.method", "ResidualMethod" },
    { "uObserved", "UArrayName" },
    { "latentU", "UArrayName" },
    { "loss.includeU", "IncludeU" },
    { "observation", "Observation" },
    { "testFunctionSize", "TestFunctionSize" },
    { "testFunctionsPerAxis", "TestFunctionsPerAxis" },
    { "noiseVariance", "NoiseVariance" },
    { "intervalReplicates", "IntervalReplicates" },
    { "fixed", "FixedValues" },
    { "trajectory.x", "XParameter" },
    { "trajectory.y", "YParameter" },
    { "trajectory.z", "ZParameter" },
    { "trajectory.zScale", "ZScale" },
  };
  for (const auto& entry : names)
  {
    if (field == entry.first)
    {
      return entry.second;
    }
  }
  // The inversion's residual fit: its fields carry the same names unless listed above.
  const std::string residual = "residual.";
  if (field.compare(0, residual.size(), residual) == 0)
  {
    return PropertyName(field.substr(residual.size()));
  }
  return field;
}

/// A Core error as a user of the filters reads it.
inline std::string PropertyMessage(const gs::Error& error)
{
  return error.renamed(PropertyName);
}

} // namespace gsvtk

#endif
