#pragma once
// Plain data of the activation, contrastive, neuron-importance and logit-lens views (ALGORITHMS.md
// §3–4). The app converts the engine's results into these; widgets never see torch or core types.

#include <QString>
#include <QStringList>
#include <QVector>
#include <map>
#include <vector>

namespace anatomist::widgets {

// Row-major matrix of doubles.
struct Matrix {
    int rows = 0, cols = 0;
    QVector<double> values;
    double at(int r, int c) const { return values[qsizetype(r) * cols + c]; }
};

// Activations of one component for one prompt: one tokens × neurons matrix per model layer.
struct ActivationData {
    QString component;
    QStringList tokens;              // one per row
    std::vector<Matrix> layers;      // [layer]: tokens × neurons
    QVector<double> meanAbsPerLayer; // mean |activation| per layer
};

struct DiffStatsData {
    double mean = 0, max = 0, min = 0, std = 0, l1 = 0, l2 = 0;
    qint64 count = 0;
};
struct ProgressionData {
    double firstToLastRatio = 0;
    int layerWithMaxDiff = 0;
    bool increasing = false;
};

struct ContrastiveLayerData {
    int layer = 0;
    DiffStatsData stats;
    double cosineDistance = 0; // mean over compared rows of 1 − cos(a_t, b_t)
    Matrix pcaA, pcaB;         // [Ta, 2], [Tb, 2] (details only; empty otherwise)
    QVector<double> explained; // explained variance ratio of the two axes
};
struct ContrastiveComponentData {
    QString component;
    std::vector<ContrastiveLayerData> layers;
    DiffStatsData overall;
    ProgressionData progression;
};
struct ContrastivePairData {
    QString category, a, b;
    QStringList tokensA, tokensB;
    QString alignment; // "tokens", "prefix_suffix", "mean_pooled"
    int prefix = 0, suffix = 0;
    QVector<int> differingA, differingB;
    std::vector<ContrastiveComponentData> components;
    DiffStatsData overall;
    bool hasDetails() const {
        return !components.empty() && !components.front().layers.empty() &&
               components.front().layers.front().pcaA.rows > 0;
    }
};
struct ContrastiveAggregateData {
    QString component;
    QVector<double> meanAcrossPairs, maxAcrossPairs;
    ProgressionData progression; // of meanAcrossPairs
};
struct ContrastiveSetData {
    std::vector<ContrastivePairData> pairs;
    std::vector<ContrastiveAggregateData> aggregate;
    std::map<QString, std::vector<ContrastiveAggregateData>> byCategory;
    double seconds = 0;
};

// A pair as typed in the editor or read from a file.
struct PromptPairData {
    QString a, b, category;
};

// Neuron scores per layer (higher = more important; for "fairness" higher = better candidate to
// remove).
struct NeuronScoresData {
    QString method;
    std::vector<QVector<double>> layers; // [layer][neuron]
    qint64 tokens = 0;
    int pairs = 0;
    double seconds = 0;
};

struct LogitLensCellData {
    QStringList tokens;
    QVector<double> probs;
};
struct LogitLensData {
    QStringList tokens; // prompt tokens (columns)
    int k = 0;
    std::vector<std::vector<LogitLensCellData>> layers; // [layer][position]
};

} // namespace anatomist::widgets
