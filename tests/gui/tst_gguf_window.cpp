// GGUF in the window (issue 12): the module tree shows each tensor's stored type and size (a
// Q8_0/F16/F32 GGUF written by the project's writer, a bfloat16 safetensors folder; sizes by hand
// from the formats), and no column cuts its text; the export dialog writes a head-pruned variant of
// the demo model as llama.cpp's deci GGUF that reads back with per-layer head arrays and the
// variant's logits, and refuses a head-pruned Qwen3 with the CLI's own message; File ▸ Open GGUF
// file and drag-and-drop open a .gguf, and a broken one gives an error dialog naming the file.

#include "export_controller.h"
#include "io/gguf_reader.h"
#include "job.h"
#include "main_window.h"
#include "model/causal_lm.h"
#include "model/gguf_export.h"
#include "model/gguf_import.h"
#include "model/model_loader.h"
#include "model_controller.h"
#include "plan_controller.h"
#include "test_support.h"
#include "widgets/export_dialog.h"
#include "widgets/heads_editor.h"
#include "widgets/module_tree_model.h"
#include "widgets/module_tree_view.h"
#include "widgets/plan_panel.h"
#include "window_test_support.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace anatomist;
namespace fs = std::filesystem;

namespace {

torch::Tensor logits(core::CausalLM& model) {
    torch::NoGradGuard noGrad;
    const auto ids = torch::tensor({1, 17, 203, 45, 99, 311, 7, 64}, torch::kLong).unsqueeze(0);
    return model.forward(ids).logits;
}

QString column(const widgets::ModuleTreeModel& model, const QString& name, int column) {
    const QModelIndex index = model.indexForName(name);
    return model.index(index.row(), column, index.parent()).data().toString();
}

qint64 storedBytes(const widgets::ModuleTreeModel& model, const QString& name) {
    return model.indexForName(name).data(widgets::ModuleTreeModel::StoredBytesRole).toLongLong();
}

bool tick(gui::MainWindow& window, const QString& module) {
    auto* model = window.models().treeModel();
    const QModelIndex index = model->indexForName(module);
    return index.isValid() && model->setData(index, Qt::Checked, Qt::CheckStateRole);
}

// Every visible row's text (and the header) fits its column: nothing is elided.
void expectNothingCut(QTreeView* view, const QString& what) {
    for (int c = 0; c < view->model()->columnCount(); ++c) {
        if (view->isColumnHidden(c))
            continue;
        // What the view itself would give the column for its text and header.
        const int width = view->columnWidth(c);
        view->resizeColumnToContents(c);
        const int needed = view->columnWidth(c);
        view->setColumnWidth(c, width);
        QVERIFY2(view->columnWidth(c) >= needed,
                 qPrintable(QStringLiteral("%1: column %2 (%3) is %4 px, its text needs %5 px")
                                .arg(what)
                                .arg(c)
                                .arg(view->model()->headerData(c, Qt::Horizontal).toString())
                                .arg(view->columnWidth(c))
                                .arg(needed)));
    }
}

} // namespace

class TestGgufWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        Q_INIT_RESOURCE(anatomist);
        test::isolateSettings(QStringLiteral("AnatomistGgufWindowTest"), m_settings.path());
        ANATOMIST_REQUIRE_SHARED("models/stories260K/config.json");
        // stories260K as Q8_0 by the project's writer (ffn_down rows of 172 fall back to F16).
        m_gguf = QDir(m_dir.path()).filePath(QStringLiteral("stories-q8_0.gguf"));
        const auto stories = test::sharedDir() / "models/stories260K";
        auto loaded = core::loadModel(stories, {}, core::nullJobContext());
        core::GgufExportOptions options;
        options.type = core::GgmlType::Q8_0;
        options.tokenizerSource = stories;
        core::exportGguf(*loaded.model, m_gguf.toStdString(), options, core::nullJobContext());
    }
    void init() { QSettings().clear(); } // each window as on a first start

    // Q8_0: 34 bytes per 32 values; F16 2 and F32 4 bytes a value.
    void treeShowsStoredTypes() {
        gui::MainWindow window;
        window.setInteractive(false);
        QVERIFY(test::loadInto(window, m_gguf));
        const auto& tree = *window.models().treeModel();
        using M = widgets::ModuleTreeModel;
        QCOMPARE(tree.headerData(M::Stored, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QStringLiteral("Stored"));
        QCOMPARE(tree.headerData(M::StoredSize, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QStringLiteral("Stored size"));
        const QString q = QStringLiteral("model.layers.0.self_attn.q_proj.weight");
        QCOMPARE(column(tree, q, M::Stored), QStringLiteral("Q8_0"));
        QCOMPARE(column(tree, q, M::DType), QStringLiteral("float32")); // dequantised on load
        QCOMPARE(storedBytes(tree, q), qint64(64 * 64 / 32 * 34));
        QCOMPARE(column(tree, q, M::StoredSize), widgets::humanBytes(64 * 64 / 32 * 34));
        const QString down = QStringLiteral("model.layers.0.mlp.down_proj.weight");
        QCOMPARE(column(tree, down, M::Stored), QStringLiteral("F16"));
        QCOMPARE(storedBytes(tree, down), qint64(64 * 172 * 2));
        QCOMPARE(column(tree, down, M::StoredSize), QStringLiteral("21.5 KiB"));
        const QString norm = QStringLiteral("model.layers.0.input_layernorm.weight");
        QCOMPARE(column(tree, norm, M::Stored), QStringLiteral("F32"));
        QCOMPARE(storedBytes(tree, norm), qint64(64 * 4));
        // A block adds up what it holds, its types with the most bytes first.
        const qint64 block =
            (2 * 64 * 64 + 2 * 32 * 64 + 2 * 172 * 64) / 32 * 34 + 64 * 172 * 2 + 2 * 64 * 4;
        QCOMPARE(column(tree, QStringLiteral("model.layers.0"), M::Stored),
                 QStringLiteral("Q8_0+F16+F32"));
        QCOMPARE(storedBytes(tree, QStringLiteral("model.layers.0")), block);
        QCOMPARE(tree.index(0, M::StoredSize).data(M::StoredBytesRole).toLongLong(),
                 qint64(512 * 64 / 32 * 34 + 5 * block + 64 * 4));
        QVERIFY(tree.indexForName(q)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("Stored as Q8_0")));
        QVERIFY(window.models().describe(down).contains(QStringLiteral("F16")));

        // A bfloat16 safetensors folder: the header's dtype, computed in float32.
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/llama-bf16/config.json");
        QVERIFY(test::loadInto(
            window,
            QString::fromStdString((test::sharedDir() / "fixtures/arch/llama-bf16").string())));
        const QString k = QStringLiteral("model.layers.1.self_attn.k_proj.weight");
        QCOMPARE(column(tree, k, M::Stored), QStringLiteral("BF16"));
        QCOMPARE(column(tree, k, M::DType), QStringLiteral("float32"));
        QCOMPARE(storedBytes(tree, k), qint64(32 * 64 * 2));
        QCOMPARE(column(tree, k, M::StoredSize), QStringLiteral("4.0 KiB"));
        QCOMPARE(column(tree, QString(), M::Stored), QStringLiteral("BF16"));
        QCOMPARE(storedBytes(tree, QString()), 2 * tree.counts().parameters);
    }

    // At 1280×800 and on a large screen, with a layer opened down to its tensors, every column
    // shows its text in full. The grabs are for looking at.
    void treeColumnsAreNotCut() {
        for (const QSize size : {QSize(1280, 800), QSize(1920, 1080)}) {
            gui::MainWindow window;
            window.setInteractive(false);
            window.resize(size);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QTest::qWait(50); // the first-run dock sizes come after the first layout pass
            QVERIFY(test::loadInto(window, m_gguf));
            window.showView(QStringLiteral("tree"));
            window.treeView()->selectModule(
                QStringLiteral("model.layers.0.self_attn.q_proj.weight"));
            window.treeView()->selectModule(QStringLiteral("model.layers.0.mlp.down_proj.weight"));
            QTest::qWait(50);
            QTreeView* view = window.treeView()->treeView();
            expectNothingCut(view, QStringLiteral("%1×%2").arg(size.width()).arg(size.height()));
            window.grab().save(QStringLiteral(ANATOMIST_GUI_TEST_OUTPUT) +
                               QStringLiteral("/gguf-window-%1.png").arg(size.width()));
            window.findChild<QDockWidget*>(QStringLiteral("moduleTreeDock"))
                ->grab()
                .save(QStringLiteral(ANATOMIST_GUI_TEST_OUTPUT) +
                      QStringLiteral("/gguf-tree-%1.png").arg(size.width()));
        }
    }

    // A head-pruned variant (layer 1: KV group 2 with its query head) with layer 3's attention
    // bypassed, exported as GGUF through the dialog: llama.cpp's deci with per-layer head arrays,
    // a zero attn_output for the bypass, and the variant's logits when read back.
    void headPrunedVariantExportsToGguf() {
        gui::MainWindow window;
        window.setInteractive(false);
        QVERIFY(test::loadInto(window));
        auto& plans = window.plans();
        auto* heads = plans.panel()->headsEditor();
        heads->setLayer(1);
        heads->removeKvGroup(2);
        QVERIFY(tick(window, QStringLiteral("model.layers.3.self_attn")));
        QSignalSpy added(&plans, &gui::PlanController::variantAdded);
        plans.apply(QStringLiteral("heads"));
        QVERIFY(added.wait(60000));
        auto& variant = *plans.variant(QStringLiteral("heads"));
        QCOMPARE(variant.config().layer_num_attention_heads, (std::vector<int64_t>{4, 3, 4, 4}));

        auto& exporter = window.exporter();
        auto* dialog = exporter.dialog(&window, QStringLiteral("heads"));
        const QString file = QDir(m_dir.path()).filePath(QStringLiteral("heads.gguf"));
        dialog->setRequest({QStringLiteral("heads"), true, QStringLiteral("f32"), file});
        const QString text = dialog->consequencesLabel()->text();
        QVERIFY2(text.contains(QStringLiteral("deci.attention.head_count")) &&
                     !text.contains(QStringLiteral("cannot be written")),
                 qPrintable(text));
        QVERIFY(dialog->exportButton()->isEnabled());
        QSignalSpy exported(&exporter, &gui::ExportController::exported);
        dialog->exportButton()->click();
        QVERIFY(exported.wait(60000));
        QVERIFY(dialog->resultLabel()->text().contains(QStringLiteral("heads.gguf")));

        const auto gguf = core::GgufFile::open(file.toStdString());
        QCOMPARE(gguf->requireString("general.architecture"), std::string("deci"));
        QCOMPARE(*gguf->optionalIntArray("deci.attention.head_count"),
                 (std::vector<int64_t>{4, 3, 4, 4}));
        QCOMPARE(*gguf->optionalIntArray("deci.attention.head_count_kv"),
                 (std::vector<int64_t>{4, 3, 4, 4}));
        // head_dim 32: layer 1 keeps 3 of 4 heads of its q rows.
        QCOMPARE(gguf->findTensor("blk.1.attn_q.weight")->dims, (std::vector<int64_t>{128, 96}));
        QCOMPARE(core::dequantizeTensor(*gguf, *gguf->findTensor("blk.3.attn_output.weight"))
                     .abs()
                     .max()
                     .item<double>(),
                 0.0);
        const auto back = core::loadModel(file.toStdString(), {}, core::nullJobContext());
        QCOMPARE(back.model->config().layer_num_attention_heads,
                 variant.config().layer_num_attention_heads);
        QCOMPARE(back.model->config().layer_num_key_value_heads,
                 variant.config().layer_num_key_value_heads);
        QVERIFY(back.tokenizer);
        const double diff = (logits(*back.model) - logits(variant)).abs().max().item<double>();
        QVERIFY2(diff <= 1e-5, qPrintable(QString::number(diff)));
        dialog->adjustSize();
        dialog->grab().save(QStringLiteral(ANATOMIST_GUI_TEST_OUTPUT) +
                            QStringLiteral("/export-dialog-heads.png"));
        dialog->close();
    }

    // Per-layer heads of a family llama.cpp's deci graph does not cover: the dialog refuses with
    // the message `anatomist-cli export --format gguf` gives for the same variant.
    void qwenHeadPruningIsRefusedAsTheCliDoes() {
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/qwen3/config.json");
        const auto qwen = test::sharedDir() / "fixtures/arch/qwen3";
        const QString pruned = QDir(m_dir.path()).filePath(QStringLiteral("qwen-heads"));
        auto r = test::runCli({"prune", qwen.string(), "--heads", "groups:1", "--layers", "1",
                               "--out", pruned.toStdString()});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        r = test::runCli({"export", pruned.toStdString(), "--format", "gguf", "--out",
                          QDir(m_dir.path()).filePath(QStringLiteral("q.gguf")).toStdString()});
        QCOMPARE(r.exitCode, 1);
        const std::string marker = "error: ";
        const auto at = r.err.find(marker);
        QVERIFY2(at != std::string::npos, r.err.c_str());
        QString cliMessage = QString::fromStdString(r.err.substr(at + marker.size())).trimmed();
        QVERIFY2(cliMessage.contains(QStringLiteral("per-layer head counts")),
                 qPrintable(cliMessage));

        gui::MainWindow window;
        window.setInteractive(false);
        QVERIFY(test::loadInto(window, QString::fromStdString(qwen.string())));
        auto& plans = window.plans();
        plans.panel()->headsEditor()->setLayer(1);
        plans.panel()->headsEditor()->removeKvGroup(1);
        QSignalSpy added(&plans, &gui::PlanController::variantAdded);
        plans.apply(QStringLiteral("heads"));
        QVERIFY(added.wait(60000));
        auto& exporter = window.exporter();
        auto* dialog = exporter.dialog(&window, QStringLiteral("heads"));
        const QString file = QDir(m_dir.path()).filePath(QStringLiteral("qwen.gguf"));
        dialog->setRequest({QStringLiteral("heads"), true, QStringLiteral("f32"), file});
        QVERIFY(!dialog->exportButton()->isEnabled());
        QVERIFY2(dialog->consequencesLabel()->text().contains(cliMessage.toHtmlEscaped()),
                 qPrintable(dialog->consequencesLabel()->text()));
        // Also when asked directly (the dialog's button is off): refused at once, nothing written.
        QSignalSpy failed(&exporter, &gui::ExportController::failed);
        QCOMPARE(exporter.start({QStringLiteral("heads"), true, QStringLiteral("f32"), file}),
                 quint64(0));
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed[0][1].toString().contains(cliMessage), qPrintable(failed[0][1].toString()));
        QVERIFY(!QFile::exists(file));
        // A Hugging Face folder of the same variant is still offered.
        dialog->setRequest({QStringLiteral("heads"), false, QStringLiteral("f32"),
                            QDir(m_dir.path()).filePath(QStringLiteral("qwen-hf"))});
        QVERIFY(dialog->exportButton()->isEnabled());
        dialog->close();
    }

    // File ▸ Open GGUF file… picks .gguf files; a dropped .gguf opens; a broken one is reported in
    // an error dialog naming the file and the problem, and the open model stays.
    void openingGgufFiles() {
        gui::MainWindow window;
        auto* open = window.findChild<QAction*>(QStringLiteral("openGgufAction"));
        QVERIFY(open);
        const auto menus = window.menuBar()->findChildren<QMenu*>();
        QVERIFY(std::any_of(menus.begin(), menus.end(), [&](QMenu* m) {
            return m->title() == QStringLiteral("&File") && m->actions().contains(open);
        }));
        QVERIFY(gui::MainWindow::ggufFileFilter().contains(QStringLiteral("*.gguf")));

        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(m_gguf)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton,
                              Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QSignalSpy loaded(&window.models(), &gui::ModelController::modelLoaded);
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &drop);
        QVERIFY(loaded.wait(60000));
        QCOMPARE(window.models().folder(), QFileInfo(m_gguf).absoluteFilePath());

        // Half of a real GGUF: the header promises more than the file holds.
        const QString broken = QDir(m_dir.path()).filePath(QStringLiteral("broken.gguf"));
        {
            QFile in(m_gguf);
            QVERIFY(in.open(QIODevice::ReadOnly));
            const QByteArray bytes = in.readAll();
            QFile out(broken);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(bytes.left(bytes.size() / 2));
        }
        QSignalSpy errors(&window, &gui::MainWindow::errorShown);
        QSignalSpy failed(&window.models(), &gui::ModelController::loadFailed);
        window.openModel(broken);
        QVERIFY(failed.wait(60000));
        QCOMPARE(errors.size(), 1);
        const QString message = errors[0][1].toString();
        QVERIFY2(message.contains(QFileInfo(broken).absoluteFilePath()) &&
                     message.contains(QStringLiteral("truncated")),
                 qPrintable(message));
        auto* box = window.findChild<QMessageBox*>();
        QVERIFY(box);
        QVERIFY(box->isVisible());
        QCOMPARE(box->text(), errors[0][0].toString());
        QVERIFY2(box->informativeText().contains(QStringLiteral("broken.gguf")),
                 qPrintable(box->informativeText()));
        box->close();
        QCOMPARE(window.models().folder(), QFileInfo(m_gguf).absoluteFilePath());
    }

private:
    QTemporaryDir m_settings;
    QTemporaryDir m_dir;
    QString m_gguf;
};

QTEST_MAIN(TestGgufWindow)
#include "tst_gguf_window.moc"
