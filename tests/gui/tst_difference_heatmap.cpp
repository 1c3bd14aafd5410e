// The difference heatmap of the contrastive view (issue 15) on hand-made data: one cell per pair
// and layer holding exactly the chosen metric of the chosen component, hover text naming pair,
// layer and value, a click selecting the pair and layer in the view, the export writing a file; and
// the view's pair-set box asking for sets by name.

#include "widgets/contrastive_view.h"
#include "widgets/difference_heatmap.h"
#include "widgets/plot_style.h"

#include <QComboBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

using namespace anatomist::widgets;

namespace {

// Pair p, component c, layer l: mean |A − B| = p + 10 c + 100 l, cosine distance = its thousandth.
double meanAbs(int p, int c, int l) {
    return p + 10.0 * c + 100.0 * l;
}

ContrastiveSetData makeData(int pairs, int layers) {
    ContrastiveSetData data;
    const QStringList categories{QStringLiteral("gender"), QStringLiteral("age")};
    for (int p = 0; p < pairs; ++p) {
        ContrastivePairData pair;
        pair.category = categories[p % 2];
        pair.a = QStringLiteral("The doctor said he");
        pair.b = QStringLiteral("The doctor said she");
        pair.tokensA =
            QStringList{QStringLiteral("<s>"), QStringLiteral("▁The"), QStringLiteral("▁he")};
        pair.tokensB =
            QStringList{QStringLiteral("<s>"), QStringLiteral("▁The"), QStringLiteral("▁she")};
        pair.alignment = QStringLiteral("tokens");
        pair.differingA = pair.differingB = QVector<int>{2};
        for (int c = 0; c < 2; ++c) {
            ContrastiveComponentData comp;
            comp.component = c == 0 ? QStringLiteral("mlp_out") : QStringLiteral("out");
            for (int l = 0; l < layers; ++l) {
                ContrastiveLayerData layer;
                layer.layer = l;
                layer.stats.mean = meanAbs(p, c, l);
                layer.cosineDistance = meanAbs(p, c, l) / 1000.0;
                comp.layers.push_back(layer);
            }
            pair.components.push_back(comp);
        }
        data.pairs.push_back(pair);
    }
    return data;
}

} // namespace

class TestDifferenceHeatmap : public QObject {
    Q_OBJECT
private slots:
    void cellsHoldTheChosenMetric() {
        const auto data = makeData(3, 5);
        DifferenceHeatmap heatmap;
        heatmap.resize(900, 500);
        heatmap.setData(&data);
        QCOMPARE(heatmap.rows(), 3);
        QCOMPARE(heatmap.columns(), 5);
        // The colour map holds layers × pairs cells.
        QCPColorMap* map = nullptr;
        for (int i = 0; i < heatmap.plot()->plottableCount(); ++i)
            map = map ? map : qobject_cast<QCPColorMap*>(heatmap.plot()->plottable(i));
        QVERIFY(map);
        QCOMPARE(map->data()->keySize() * map->data()->valueSize(), 5 * 3);
        // Default: cosine distance of the residual stream ("out", the last component).
        QCOMPARE(heatmap.component(), QStringLiteral("out"));
        QCOMPARE(heatmap.metric(), DifferenceHeatmap::Metric::Cosine);
        for (int p = 0; p < 3; ++p)
            for (int l = 0; l < 5; ++l) {
                QCOMPARE(heatmap.value(p, l), meanAbs(p, 1, l) / 1000.0);
                QCOMPARE(map->data()->cell(l, p), meanAbs(p, 1, l) / 1000.0);
            }
        QCOMPARE(map->dataRange().upper, meanAbs(2, 1, 4) / 1000.0);
        heatmap.setMetric(DifferenceHeatmap::Metric::MeanAbs);
        heatmap.setComponent(QStringLiteral("mlp_out"));
        QCOMPARE(heatmap.value(1, 3), meanAbs(1, 0, 3));
        const QString hover = heatmap.hoverText(1, 3);
        QVERIFY2(hover.contains(QStringLiteral("pair 2")), qPrintable(hover));
        QVERIFY2(hover.contains(QStringLiteral("age: he / she")), qPrintable(hover));
        QVERIFY2(hover.contains(QStringLiteral("layer 3")), qPrintable(hover));
        QVERIFY2(hover.contains(QStringLiteral("mlp_out")), qPrintable(hover));
        QVERIFY2(hover.contains(formatNumber(meanAbs(1, 0, 3))), qPrintable(hover));
        QVERIFY(heatmap.hoverText(3, 0).isEmpty());
        QVERIFY(heatmap.hoverText(0, 5).isEmpty());
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("heatmap.png"));
        QVERIFY(heatmap.exportTo(png));
        QVERIFY(QFileInfo(png).size() > 1000);
    }

    void viewShowsHeatmapAndSelectsClickedCell() {
        ContrastiveView view;
        view.resize(1280, 800);
        view.setResults(makeData(4, 6));
        QCOMPARE(view.heatmap()->rows(), 4);
        QCOMPARE(view.heatmap()->columns(), 6);
        view.showHeatmap();
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        emit view.heatmap()->cellClicked(2, 5);
        QCOMPARE(view.selectedPair(), 2);
        QCOMPARE(view.pcaLayer(), 5);
        view.showHeatmap();
        view.grab().save(QStringLiteral(ANATOMIST_GUI_TEST_OUTPUT) +
                         QStringLiteral("/difference-heatmap.png"));
    }

    void pairSetBoxAsksForSetsByName() {
        ContrastiveView view;
        view.setPairSetNames({QStringLiteral("gender"), QStringLiteral("race")});
        auto* box = view.findChild<QComboBox*>(QStringLiteral("pairSet"));
        QVERIFY(box);
        QCOMPARE(box->count(), 4); // examples, gender, race, all
        QSignalSpy asked(&view, &ContrastiveView::pairSetRequested);
        for (int i = 0; i < box->count(); ++i) {
            box->setCurrentIndex(i);
            emit box->activated(i);
        }
        QCOMPARE(asked.size(), 4);
        QCOMPARE(asked[0][0].toString(), QString());
        QCOMPARE(asked[1][0].toString(), QStringLiteral("gender"));
        QCOMPARE(asked[3][0].toString(), QStringLiteral("*"));
    }
};

QTEST_MAIN(TestDifferenceHeatmap)
#include "tst_difference_heatmap.moc"
