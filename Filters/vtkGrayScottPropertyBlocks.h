/**
 * The property blocks several filters share, written once: their defaults come from Core's
 * settings structs, and each block becomes its Core struct in one call. A filter that has a
 * block has its properties under the same names (vtkSetMacro/vtkGetMacro), and the XML
 * declares each block once (Plugin/GrayScott.xml's shared proxies). Internal to the Filters
 * module (not wrapped).
 *
 * - simulation: TimeStep, NumberOfSteps, SteadyStateTolerance, Seed, NoiseAmplitude,
 *   SeedPatchSize (gs::RunSettings and gs::InitialCondition);
 * - gradient: Routing, TruncationSteps, CheckpointMemory in MiB (gs::GradientSettings);
 * - network: NeuralFieldIterations, NeuralFieldFeatures, NeuralFieldFeatureScale,
 *   NeuralFieldWidth, NeuralFieldLayers, NeuralFieldLearningRate, NeuralFieldSeed
 *   (gs::NeuralFieldSettings, the learning rate decaying to 1/100 of its first value).
 */

#ifndef vtkGrayScottPropertyBlocks_h
#define vtkGrayScottPropertyBlocks_h

#include "vtkType.h"

#include <gs/Adjoint.h>
#include <gs/Names.h>
#include <gs/NeuralField.h>
#include <gs/Simulation.h>

namespace gsvtk
{

/// One MiB, the unit of CheckpointMemory.
constexpr double MiB = 1024.0 * 1024.0;

template <class Filter>
void SetSimulationDefaults(
  Filter* f, const gs::RunSettings& run = {}, const gs::InitialCondition& initial = {})
{
  f->SetTimeStep(run.dt);
  f->SetNumberOfSteps(run.steps);
  f->SetSteadyStateTolerance(run.steadyStateTolerance);
  f->SetSeed(static_cast<vtkTypeInt64>(initial.seed));
  f->SetNoiseAmplitude(initial.noiseAmplitude);
  f->SetSeedPatchSize(initial.patchSize);
}

template <class Filter>
gs::RunSettings RunSettings(Filter* f)
{
  return { f->GetTimeStep(), f->GetNumberOfSteps(), f->GetSteadyStateTolerance() };
}

/// Throws gs::Error naming Seed when it is negative.
template <class Filter>
gs::InitialCondition InitialCondition(Filter* f)
{
  return { gs::checkedSeed(f->GetSeed(), "Seed"), f->GetNoiseAmplitude(), f->GetSeedPatchSize() };
}

template <class Filter>
void SetGradientDefaults(Filter* f, const gs::GradientSettings& g = {})
{
  f->SetRouting(static_cast<int>(g.routing));
  f->SetTruncationSteps(g.truncationSteps);
  f->SetCheckpointMemory(g.checkpointBytes / MiB);
}

/// Throws gs::Error naming Routing when it is not one.
template <class Filter>
gs::GradientSettings GradientSettings(Filter* f)
{
  gs::GradientSettings g;
  g.routing = gs::enumValue<gs::Routing>(f->GetRouting(), "Routing", gs::routingNames());
  g.truncationSteps = f->GetTruncationSteps();
  g.checkpointBytes = f->GetCheckpointMemory() * MiB;
  return g;
}

template <class Filter>
void SetNetworkDefaults(
  Filter* f, const gs::NeuralFieldSettings& n = gs::NeuralFieldSettings::forFields())
{
  f->SetNeuralFieldIterations(n.iterations);
  f->SetNeuralFieldFeatures(n.features);
  f->SetNeuralFieldFeatureScale(n.featureScale);
  f->SetNeuralFieldWidth(n.width);
  f->SetNeuralFieldLayers(n.hiddenLayers);
  f->SetNeuralFieldLearningRate(n.learningRate);
  f->SetNeuralFieldSeed(static_cast<int>(n.seed));
}

/// Checked by Core (gs::NeuralFieldSettings::validate), with the properties' names.
template <class Filter>
gs::NeuralFieldSettings NetworkSettings(Filter* f)
{
  gs::NeuralFieldSettings n = gs::NeuralFieldSettings::forFields();
  n.iterations = f->GetNeuralFieldIterations();
  n.features = f->GetNeuralFieldFeatures();
  n.featureScale = f->GetNeuralFieldFeatureScale();
  n.width = f->GetNeuralFieldWidth();
  n.hiddenLayers = f->GetNeuralFieldLayers();
  n.learningRate = f->GetNeuralFieldLearningRate();
  n.finalLearningRate = n.learningRate / 100.0;
  n.seed = gs::checkedSeed(f->GetNeuralFieldSeed(), "NeuralFieldSeed");
  n.validate();
  return n;
}

} // namespace gsvtk

#endif
