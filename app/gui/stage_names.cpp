#include "stage_names.h"

#include <QCoreApplication>
#include <QHash>

namespace anatomist::gui {

QString stageTitle(const QString& stage) {
    // The stage words core passes to JobContext::setProgress (grep setProgress in core/).
    static const QHash<QString, const char*> known{
        {QStringLiteral("config"), QT_TRANSLATE_NOOP("JobStage", "configuration")},
        {QStringLiteral("tokenizer"), QT_TRANSLATE_NOOP("JobStage", "tokenizer")},
        {QStringLiteral("weights"), QT_TRANSLATE_NOOP("JobStage", "weights")},
        {QStringLiteral("tensors"), QT_TRANSLATE_NOOP("JobStage", "tensors")},
        {QStringLiteral("read"), QT_TRANSLATE_NOOP("JobStage", "reading")},
        {QStringLiteral("write"), QT_TRANSLATE_NOOP("JobStage", "writing")},
        {QStringLiteral("build"), QT_TRANSLATE_NOOP("JobStage", "building")},
        {QStringLiteral("done"), QT_TRANSLATE_NOOP("JobStage", "done")},
        {QStringLiteral("load"), QT_TRANSLATE_NOOP("JobStage", "loading")},
        {QStringLiteral("data"), QT_TRANSLATE_NOOP("JobStage", "data")},
        {QStringLiteral("similarity"), QT_TRANSLATE_NOOP("JobStage", "similarity")},
        {QStringLiteral("select"), QT_TRANSLATE_NOOP("JobStage", "selecting layers")},
        {QStringLiteral("activations"), QT_TRANSLATE_NOOP("JobStage", "activations")},
        {QStringLiteral("pairs"), QT_TRANSLATE_NOOP("JobStage", "prompt pairs")},
        {QStringLiteral("score"), QT_TRANSLATE_NOOP("JobStage", "scoring")},
        {QStringLiteral("scores"), QT_TRANSLATE_NOOP("JobStage", "scores")},
        {QStringLiteral("logit lens"), QT_TRANSLATE_NOOP("JobStage", "logit lens")},
        {QStringLiteral("forward"), QT_TRANSLATE_NOOP("JobStage", "forward pass")},
        {QStringLiteral("generate"), QT_TRANSLATE_NOOP("JobStage", "generating")},
        {QStringLiteral("prefill"), QT_TRANSLATE_NOOP("JobStage", "prefill")},
        {QStringLiteral("decode"), QT_TRANSLATE_NOOP("JobStage", "decoding")},
        {QStringLiteral("bench"), QT_TRANSLATE_NOOP("JobStage", "timing")},
        {QStringLiteral("sgemm"), QT_TRANSLATE_NOOP("JobStage", "matrix product")},
        {QStringLiteral("compare"), QT_TRANSLATE_NOOP("JobStage", "comparing")},
        {QStringLiteral("calibrate"), QT_TRANSLATE_NOOP("JobStage", "calibrating")},
        {QStringLiteral("reference"), QT_TRANSLATE_NOOP("JobStage", "teacher reference")},
        {QStringLiteral("student"), QT_TRANSLATE_NOOP("JobStage", "student")},
        {QStringLiteral("train"), QT_TRANSLATE_NOOP("JobStage", "training")},
    };
    const auto it = known.constFind(stage);
    return it == known.constEnd() ? stage : QCoreApplication::translate("JobStage", *it);
}

} // namespace anatomist::gui
