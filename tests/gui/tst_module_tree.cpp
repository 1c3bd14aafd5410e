// The module tree model shows exactly what `anatomist-cli info --json` reports: same nodes in the
// same order, same parameter counts, for stories260K and every architecture fixture.

#include "converters.h"
#include "job.h"
#include "model/model_info.h"
#include "model/model_loader.h"
#include "test_support.h"
#include "widgets/module_tree_model.h"

#include <QtTest>

using namespace anatomist;

namespace {

struct Flat {
    QStringList names;
    QList<qint64> parameters;
    int parameterTensors = 0;
};

void flattenJson(const nlohmann::json& node, Flat& out) {
    out.names << QString::fromStdString(node.value("name", std::string()));
    out.parameters << node.value("parameters", int64_t(0));
    if (node.value("kind", std::string()) == "Parameter")
        ++out.parameterTensors;
    if (node.contains("children"))
        for (const auto& child : node["children"])
            flattenJson(child, out);
}

// Walks the Qt item model (not the struct it was built from), as a view would.
void flattenModel(const widgets::ModuleTreeModel& model, const QModelIndex& parent, Flat& out) {
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex i = model.index(r, 0, parent);
        out.names << i.data(widgets::ModuleTreeModel::FullNameRole).toString();
        out.parameters << i.data(widgets::ModuleTreeModel::ParametersRole).toLongLong();
        if (i.data(widgets::ModuleTreeModel::KindRole).toString() == QLatin1String("Parameter"))
            ++out.parameterTensors;
        QCOMPARE(model.parent(i), parent);
        flattenModel(model, i, out);
    }
}

} // namespace

class TestModuleTree : public QObject {
    Q_OBJECT
private slots:
    void countsMatchCli_data() {
        QTest::addColumn<QString>("relative");
        QTest::newRow("stories260K") << QStringLiteral("models/stories260K");
        for (const char* arch : {"gemma3", "gemma3-softcap", "gpt2", "llama", "llama-bf16",
                                 "llama3", "mistral", "qwen2", "qwen3"})
            QTest::newRow(arch) << QStringLiteral("fixtures/arch/%1").arg(QLatin1String(arch));
    }

    void countsMatchCli() {
        QFETCH(QString, relative);
        ANATOMIST_REQUIRE_SHARED(relative.toStdString());
        const auto folder = test::sharedDir() / relative.toStdString();
        const auto cli = test::runCli({"info", folder.string(), "--json"});
        QVERIFY2(cli.exitCode == 0, cli.err.c_str());
        const auto info = cli.json();
        Flat expected;
        flattenJson(info["tree"], expected);

        core::LoadOptions options;
        options.loadTokenizer = false;
        const auto loaded = core::loadModel(folder, options, core::nullJobContext());
        widgets::ModuleTreeModel model;
        model.setTree(gui::toModuleNode(core::describeModules(*loaded.model)),
                      QStringLiteral("float32"));
        Flat actual;
        flattenModel(model, {}, actual);

        QCOMPARE(actual.names.size(), expected.names.size());
        QCOMPARE(actual.parameterTensors, expected.parameterTensors);
        QCOMPARE(actual.names, expected.names);
        QCOMPARE(actual.parameters, expected.parameters);
        const qint64 total = info["summary"]["parameters"].get<qint64>();
        QCOMPARE(actual.parameters.front(), total);
        QCOMPARE(model.counts().parameters, total);
        QCOMPARE(model.counts().nodes, int(expected.names.size()));
        // Percent and memory columns of the root.
        QCOMPARE(model.index(0, widgets::ModuleTreeModel::Percent).data().toString(),
                 QStringLiteral("100.00 %"));
        QVERIFY(!model.index(0, widgets::ModuleTreeModel::Memory).data().toString().isEmpty());
        // Each decoder block shows what removing it saves, equal to the CLI's per-layer figure.
        const auto perLayer = info["summary"]["parameters_per_layer"];
        for (std::size_t l = 0; l < perLayer.size(); ++l) {
            const QString name = actual.names[actual.names.indexOf(
                QRegularExpression(QStringLiteral("^[a-z_.]*\\.(layers|h)\\.%1$").arg(l)))];
            const QModelIndex index = model.indexForName(name);
            QVERIFY2(index.isValid(), qPrintable(name));
            QCOMPARE(index.data(widgets::ModuleTreeModel::ParametersRole).toLongLong(),
                     perLayer[l].get<qint64>());
            QVERIFY(index.data(Qt::ToolTipRole)
                        .toString()
                        .contains(QLocale().toString(perLayer[l].get<qint64>())));
            QVERIFY(!model.index(index.row(), widgets::ModuleTreeModel::Saves, index.parent())
                         .data()
                         .toString()
                         .isEmpty());
        }
    }
};

QTEST_MAIN(TestModuleTree)
#include "tst_module_tree.moc"
