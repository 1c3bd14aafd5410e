#pragma once
// Plain data the widgets display. The app converts the engine's results into these structs, so that
// widgets never see torch (STYLE.md: widgets take plain data).

#include "core/model/module_kinds.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>
#include <cstdint>
#include <vector>

namespace anatomist::widgets {

// One node of a model's module tree (a module or a parameter tensor).
struct ModuleNode {
    QString name;      // full dotted name, "" for the root
    QString localName; // "self_attn"
    QString kind;      // module class, shown to users: "Attention", "Linear", ..., "Parameter"
    core::ModuleRole role = core::ModuleRole::Other; // what code matches on
    QVector<qint64> shape;                           // parameters only
    QString dtype;                                   // parameters only
    qint64 parameters = 0;                           // total below this node
    // As the file stores it: "BF16", "Q4_K"; a module's types joined by "+", most bytes first.
    // Empty when unknown (a model built in memory).
    QString storedType;
    qint64 storedBytes = 0; // bytes in the file, summed below a module
    std::vector<ModuleNode> children;
};

// Counts used by tests and the status bar: nodes in a tree, parameter leaves.
struct TreeCounts {
    int nodes = 0;
    int parameterTensors = 0;
    qint64 parameters = 0; // sum over parameter leaves
};
TreeCounts countTree(const ModuleNode& root);

// The architecture card.
struct ModelOverview {
    QString folder, family, modelType, architecture, activation, positions, dtype, tokenizer;
    qint64 layers = 0, hiddenSize = 0, heads = 0, kvHeads = 0, headDim = 0, intermediateSize = 0;
    qint64 vocabSize = 0, context = 0, parameters = 0;
    double mlpExpansion = 0;
    bool tiedEmbeddings = false;
    int slidingLayers = 0;
    qint64 slidingWindow = 0;           // 0: none
    QVector<core::ParamGroup> groups;   // embedding, attention, ...
    QVector<qint64> groupParameters;    // same order
    QVector<qint64> parametersPerLayer; // what removing each block saves
    QVector<qint64> attentionPerLayer;
    QVector<qint64> mlpPerLayer;
};

// Statistics of one parameter tensor (or of all tensors below a module).
struct WeightStats {
    QString name;
    qint64 count = 0;
    double min = 0, max = 0, mean = 0, std = 0;
    QVector<double> histogramEdges;  // bins + 1 values
    QVector<double> histogramCounts; // bins values
    QVector<double> rowNorms;        // L2 norm per stored row (2-D weights only)
    bool rowsAreInputs = false;      // GPT-2 Conv1D stores [in, out]: its rows are input features
    bool computing = false;          // statistics are being computed in the background
};

// Layer similarity of one dataset (ALGORITHMS.md §2): cosine similarities and importance = 1 − cos.
struct LayerScores {
    int layer = 0;
    double block = 0, attention = 0, mlp = 0, importance = 0;
};
struct SimilaritySeries {
    QString dataset;
    qint64 documents = 0, tokens = 0;
    double seconds = 0;
    std::vector<LayerScores> layers;
    QVector<int> removalOrder;
    QJsonObject record; // the result as `analyze similarity --json` writes it (the JSON export)
};

// "12.3 M", "260 K"
QString humanCount(qint64 n);
// "1.5 MiB"
QString humanBytes(double bytes);
// bytes per value of a dtype name ("float32" 4, "bfloat16"/"float16" 2, "int8" 1)
int bytesPerValue(const QString& dtype);

} // namespace anatomist::widgets
