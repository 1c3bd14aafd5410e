// The window as a new user sees it at 1280×800 (issue 16): the module tree keeps room beside the
// pages, every page is reachable without the tab bar's scroll arrows (English and Spanish), the
// first window takes most of the screen, dock widths do not jump with the language, the similarity
// legend stays off the bars, and a live language switch reaches the labels the app layer writes
// (Details, the status bar's model label, the built-in sample's name, core's stage names).

#include "job.h"
#include "job_runner.h"
#include "language.h"
#include "main_window.h"
#include "model_controller.h"
#include "page_tabs.h"
#include "similarity_controller.h"
#include "stage_names.h"
#include "test_support.h"
#include "widgets/jobs_panel.h"
#include "widgets/module_details.h"
#include "widgets/module_tree_view.h"
#include "widgets/similarity_view.h"
#include "window_test_support.h"

#include <QDockWidget>
#include <QLabel>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabBar>
#include <QTemporaryDir>
#include <QThread>
#include <QTreeView>
#include <QtTest>
#include <atomic>
#include <qcustomplot.h>

using namespace anatomist;

namespace {

using test::demoModel;

bool loadDemo(gui::MainWindow& window) {
    return test::loadInto(window);
}

QDockWidget* dock(const gui::MainWindow& window, const char* name) {
    return window.findChild<QDockWidget*>(QLatin1String(name));
}

// A window as on a first start (nothing remembered), shown at 1280×800, its docks sized.
void showFresh(gui::MainWindow& window, QSize size = {1280, 800}) {
    window.setInteractive(false);
    window.resize(size);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTest::qWait(50); // the first-run dock sizes are applied after the first layout pass
    QCoreApplication::processEvents();
}

// The widths a language gives the docks, the tab bars' full widths against their rows' widths.
struct Widths {
    int tree = 0, details = 0;
    QStringList overflowing; // "row: needs N px, has M px"
    QStringList scrolling;   // pages wider than the room they get
};

Widths measure(gui::MainWindow& window) {
    Widths w;
    w.tree = dock(window, "moduleTreeDock")->width();
    w.details = dock(window, "detailsDock")->width();
    gui::PageTabs* tabs = window.pages();
    // Each group shown in turn, so that its row is laid out at its real width.
    for (QWidget* page : tabs->pages()) {
        tabs->setCurrentPage(page);
        QCoreApplication::processEvents();
        QTabWidget* row = tabs->rowOf(page);
        QScrollArea* area = tabs->areaOf(page);
        if (area->horizontalScrollBar()->isVisible())
            w.scrolling << QStringLiteral("%1 needs %2 px, has %3 px")
                               .arg(page->metaObject()->className())
                               .arg(page->minimumSizeHint().width())
                               .arg(area->viewport()->width());
        for (QTabWidget* r : {static_cast<QTabWidget*>(tabs), row}) {
            const int needs = r->tabBar()->sizeHint().width(), has = r->width();
            const QString line = QStringLiteral("%1: needs %2 px, has %3 px")
                                     .arg(r->objectName())
                                     .arg(needs)
                                     .arg(has);
            if (needs > has && !w.overflowing.contains(line))
                w.overflowing << line;
        }
    }
    return w;
}

} // namespace

class TestWindowLayout : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        Q_INIT_RESOURCE(anatomist);
        test::isolateSettings(QStringLiteral("AnatomistTest"), m_settings.path());
    }
    void init() { QSettings().clear(); } // every test starts as a first start
    void cleanup() { gui::applyLanguage(QStringLiteral("en")); }

    // Pages scroll instead of setting the central widget's minimum width: the tree keeps its room.
    void treeDockKeepsRoomAt1280() {
        gui::MainWindow window;
        showFresh(window);
        QVERIFY(loadDemo(window));
        // The widest page (the comparison view) alone asked for ~720 px before.
        QVERIFY2(window.centralWidget()->minimumSizeHint().width() < 300,
                 qPrintable(QString::number(window.centralWidget()->minimumSizeHint().width())));
        const int tree = dock(window, "moduleTreeDock")->width();
        // The Jobs panel says "No jobs running" in one line, not in a 140 px band.
        QVERIFY2(dock(window, "jobsDock")->height() <= 90, // 110–140 px before
                 qPrintable(QStringLiteral("jobs dock %1 px (min %2)")
                                .arg(dock(window, "jobsDock")->height())
                                .arg(dock(window, "jobsDock")->minimumSizeHint().height())));
        QVERIFY2(tree >= 420, qPrintable(QStringLiteral("tree dock %1 px at 1280 px").arg(tree)));
        // Every page, also the widest, leaves the tree where it was.
        for (const QString& view :
             {QStringLiteral("compare"), QStringLiteral("playground"), QStringLiteral("distill"),
              QStringLiteral("plan"), QStringLiteral("contrastive")}) {
            window.showView(view);
            QCoreApplication::processEvents();
            QCOMPARE(dock(window, "moduleTreeDock")->width(), tree);
        }
        // The Name column shows a decoder block's full parameter name, as the tree shows it.
        window.showView(QStringLiteral("tree"));
        QCoreApplication::processEvents();
        QTreeView* names = window.treeView()->treeView();
        QVERIFY2(names->columnWidth(0) >= 180, qPrintable(QString::number(names->columnWidth(0))));
    }

    // Every page is reachable through the two rows, none needs the scroll arrows, in en and es;
    // --view names still select their pages.
    void everyPageReachableWithoutScrolling_data() {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QSize>("size");
        QTest::newRow("en 1280") << QStringLiteral("en") << QSize(1280, 800);
        QTest::newRow("es 1280") << QStringLiteral("es") << QSize(1280, 800);
    }
    void everyPageReachableWithoutScrolling() {
        QFETCH(QString, language);
        QFETCH(QSize, size);
        gui::applyLanguage(language);
        gui::MainWindow window;
        showFresh(window, size);
        QVERIFY(loadDemo(window));
        const Widths w = measure(window);
        QVERIFY2(w.overflowing.isEmpty(), qPrintable(w.overflowing.join(QStringLiteral("; "))));
        // ... and every page fits beside the docks without a horizontal scroll bar.
        QVERIFY2(w.scrolling.isEmpty(), qPrintable(w.scrolling.join(QStringLiteral("; "))));
        QCOMPARE(window.pages()->pages().size(), 11);
        const QStringList views{QStringLiteral("overview"),    QStringLiteral("similarity"),
                                QStringLiteral("plan"),        QStringLiteral("variants"),
                                QStringLiteral("distill"),     QStringLiteral("compare"),
                                QStringLiteral("playground"),  QStringLiteral("activations"),
                                QStringLiteral("contrastive"), QStringLiteral("neurons"),
                                QStringLiteral("logit-lens")};
        QSet<QWidget*> shown;
        for (const QString& view : views) {
            window.showView(view);
            QCOMPARE(window.currentView(), view);
            QWidget* page = window.pages()->currentPage();
            QVERIFY(page && page->isVisible());
            shown.insert(page);
        }
        QCOMPARE(shown.size(), views.size()); // eleven different pages
        window.showView(QStringLiteral("tree"));
        QCOMPARE(window.currentView(), QStringLiteral("overview"));
    }

    // The first window takes 90 % of the screen's available area; its size is remembered after.
    void firstWindowSizeAndRememberedGeometry() {
        QCOMPARE(gui::MainWindow::firstRunSize(QSize(1600, 1000)), QSize(1440, 900));
        QCOMPARE(gui::MainWindow::firstRunSize(QSize(3840, 2160)), QSize(1920, 1200));
        {
            gui::MainWindow window;
            window.setInteractive(false);
            const QSize available = window.screen()->availableGeometry().size();
            QCOMPARE(window.size(), gui::MainWindow::firstRunSize(available));
            window.resize(1000, 700);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.close(); // remembers the geometry
        }
        gui::MainWindow again;
        QCOMPARE(again.size(), QSize(1000, 700));
    }

    // Switching the language does not move the dock edges.
    void dockWidthsStayAcrossLanguages() {
        gui::MainWindow window;
        showFresh(window);
        QVERIFY(loadDemo(window));
        window.treeView()->selectModule(
            QStringLiteral("model.layers.0.post_attention_layernorm.weight"));
        QCoreApplication::processEvents();
        const int tree = dock(window, "moduleTreeDock")->width(),
                  details = dock(window, "detailsDock")->width();
        for (const QString& language :
             {QStringLiteral("es"), QStringLiteral("ca"), QStringLiteral("en")}) {
            gui::applyLanguage(language);
            QTest::qWait(20);
            QCOMPARE(dock(window, "moduleTreeDock")->width(), tree);
            QCOMPARE(dock(window, "detailsDock")->width(), details);
        }
    }

    // The legend is a row of its own: no bar of any layer lies under it.
    void similarityLegendOffTheBars() {
        widgets::SimilarityView view;
        view.resize(700, 520);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        std::vector<widgets::SimilaritySeries> series(2);
        for (int s = 0; s < 2; ++s) {
            series[s].dataset = s == 0 ? QString() : QStringLiteral("/data/other.txt");
            for (int l = 0; l < 12; ++l) {
                widgets::LayerScores scores;
                scores.layer = l;
                // The tallest bars at the last layers, where the old inset legend sat.
                scores.block = 1.0 - 0.05 * (l + 1);
                scores.attention = 1.0 - 0.04 * (l + 1);
                scores.mlp = 1.0 - 0.03 * (l + 1);
                scores.importance = 1.0 - scores.block;
                series[s].layers.push_back(scores);
            }
        }
        view.setResults(series);
        QCustomPlot* plot = view.plot();
        plot->replot();
        QVERIFY(plot->legend && plot->legend->visible());
        QCOMPARE(plot->legend->itemCount(), 4); // three bar kinds and the comparison's curve
        const QRect legend = plot->legend->outerRect();
        QVERIFY(!legend.isEmpty());
        // Bars are drawn inside their axis rect (clipped to it): a legend outside it covers none.
        QCPAxisRect* axes = plot->xAxis->axisRect();
        QVERIFY2(!legend.intersects(axes->rect()),
                 qPrintable(QStringLiteral("legend %1,%2 %3×%4 over the axes")
                                .arg(legend.x())
                                .arg(legend.y())
                                .arg(legend.width())
                                .arg(legend.height())));
        // ... and every bar is inside that rect, the tallest too (no bar cut off at the top).
        int bars = 0;
        for (int i = 0; i < plot->plottableCount(); ++i) {
            auto* b = qobject_cast<QCPBars*>(plot->plottable(i));
            if (!b)
                continue;
            for (auto it = b->data()->constBegin(); it != b->data()->constEnd(); ++it, ++bars) {
                QVERIFY(b->keyAxis()->range().contains(it->key));
                QVERIFY(b->valueAxis()->range().contains(it->value));
            }
        }
        QCOMPARE(bars, 36);
    }

    // A live switch reaches what the app layer wrote: Details, the model label, the sample's name.
    void liveSwitchReachesAppLabels() {
        gui::MainWindow window;
        showFresh(window);
        QVERIFY(loadDemo(window));
        const QString module = QStringLiteral("model.layers.0.mlp.down_proj.weight");
        window.treeView()->selectModule(module);
        QTRY_VERIFY(window.details()->findChildren<QLabel*>().size() > 1);
        auto detailsText = [&] {
            QString all;
            for (QLabel* l : window.details()->findChildren<QLabel*>())
                all += l->text() + QLatin1Char('\n');
            return all;
        };
        QVERIFY2(detailsText().contains(QStringLiteral("Parameters")), qPrintable(detailsText()));
        QSignalSpy done(&window.similarity(), &gui::SimilarityController::finished);
        window.similarity().run(); // the built-in sample
        QVERIFY(done.wait(60000));
        auto* modelLabel = window.statusBar()->findChild<QLabel*>(QStringLiteral("modelLabel"));
        QVERIFY(modelLabel);
        QVERIFY2(modelLabel->text().contains(QStringLiteral("parameters")),
                 qPrintable(modelLabel->text()));
        auto statusOf = [&] {
            QString all;
            for (QLabel* l : window.similarityView()->findChildren<QLabel*>())
                all += l->text() + QLatin1Char('\n');
            return all;
        };
        QVERIFY2(statusOf().contains(QStringLiteral("built-in sample: ")), qPrintable(statusOf()));

        gui::applyLanguage(QStringLiteral("es"));
        QTRY_VERIFY2(detailsText().contains(QStringLiteral("Parámetros")),
                     qPrintable(detailsText()));
        QVERIFY2(!detailsText().contains(QStringLiteral("Parameters")), qPrintable(detailsText()));
        // The parameter's kind is a word of the UI too, as in the tree's Type column.
        QVERIFY2(detailsText().contains(QStringLiteral(">parámetro</td>")),
                 qPrintable(detailsText()));
        QVERIFY2(modelLabel->text().contains(QStringLiteral("parámetros")),
                 qPrintable(modelLabel->text()));
        QVERIFY2(statusOf().contains(QStringLiteral("muestra integrada: ")),
                 qPrintable(statusOf()));
        QVERIFY2(!statusOf().contains(QStringLiteral("built-in sample")), qPrintable(statusOf()));
    }

    // Core's stage words reach the Jobs panel in the UI language.
    void jobsPanelTranslatesCoreStages() {
        QCOMPARE(gui::stageTitle(QStringLiteral("an unknown stage")),
                 QStringLiteral("an unknown stage"));
        QCOMPARE(gui::stageTitle(QStringLiteral("weights")), QStringLiteral("weights"));
        gui::applyLanguage(QStringLiteral("es"));
        QCOMPARE(gui::stageTitle(QStringLiteral("weights")), QStringLiteral("pesos"));
        QCOMPARE(gui::stageTitle(QStringLiteral("similarity")), QStringLiteral("similitud"));

        gui::MainWindow window;
        showFresh(window);
        std::atomic<bool> release{false};
        const quint64 id = window.jobs().submit(
            QStringLiteral("stage"), [&](core::JobContext& job) -> gui::JobRunner::Finish {
                job.setProgress(0.5, "similarity"); // as core::measureLayerSimilarity reports it
                while (!release.load())
                    QThread::msleep(5);
                return [] {};
            });
        QTRY_COMPARE(window.jobsPanel()->stageText(id), QStringLiteral("similitud"));
        release.store(true);
        QSignalSpy ended(&window.jobs(), &gui::JobRunner::jobEnded);
        QVERIFY(ended.wait(10000));
    }

private:
    QTemporaryDir m_settings;
};

QTEST_MAIN(TestWindowLayout)
#include "tst_window_layout.moc"
