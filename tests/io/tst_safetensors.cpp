// safetensors reading and writing: round trips, sharded checkpoints, and every malformed input the
// reader must refuse with a message naming the file and the problem (never a crash).

#include "errors.h"
#include "io/safetensors.h"
#include "test_support.h"

#include <QObject>

using namespace anatomist;
namespace fs = std::filesystem;

namespace {

// A safetensors file from a raw JSON header and data bytes, exactly as given (no validation).
std::string rawFile(const std::string& header, const std::string& data,
                    int64_t claimedLength = -1) {
    std::string bytes(8, '\0');
    const uint64_t length = claimedLength >= 0 ? uint64_t(claimedLength) : header.size();
    for (int i = 0; i < 8; ++i)
        bytes[std::size_t(i)] = char((length >> (8 * i)) & 0xFF);
    return bytes + header + data;
}

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT

private slots:
    void roundTripKeepsValuesAndDtypes() {
        test::TempDir dir;
        const auto a = torch::arange(12, torch::kFloat32).view({3, 4});
        const auto b = torch::tensor({1.5, -2.25}, torch::kFloat64).to(torch::kBFloat16);
        const auto c = torch::tensor({7, 8, 9}, torch::kInt64);
        const auto d = torch::randn({5, 3}).t(); // non-contiguous
        core::writeSafetensors(dir / "x.safetensors", {{"z.a", a}, {"b", b}, {"c", c}, {"d", d}});
        auto file = core::SafetensorsFile::open(dir / "x.safetensors");
        QCOMPARE(file->tensors().size(), std::size_t(4));
        QCOMPARE(file->tensors()[0].name, std::string("b")); // sorted by name
        QVERIFY(torch::equal(file->load(*file->find("z.a")), a));
        QVERIFY(torch::equal(file->load(*file->find("b")), b));
        QCOMPARE(file->find("b")->dtype, core::StDtype::BF16);
        QVERIFY(torch::equal(file->load(*file->find("c")), c));
        QVERIFY(torch::equal(file->load(*file->find("d")), d.contiguous()));
        QCOMPARE(file->metadata().at("format"), std::string("pt"));
        // Conversion on load.
        QVERIFY(torch::equal(file->load(*file->find("b"), torch::kFloat32), b.to(torch::kFloat32)));
    }

    void layoutIsAlignedAndSorted() {
        test::TempDir dir;
        core::writeSafetensors(dir / "x.safetensors", {{"w", torch::ones({3})}});
        const std::string bytes = test::readBytes(dir / "x.safetensors");
        uint64_t headerLength = 0;
        for (int i = 0; i < 8; ++i)
            headerLength |= uint64_t(uint8_t(bytes[std::size_t(i)])) << (8 * i);
        QCOMPARE((8 + headerLength) % 8, uint64_t(0));
        QCOMPARE(bytes.size(), 8 + headerLength + 12);
        const auto header = nlohmann::json::parse(bytes.substr(8, headerLength));
        QCOMPARE(header["w"]["dtype"].get<std::string>(), std::string("F32"));
        QCOMPARE(header["w"]["data_offsets"][1].get<int>(), 12);
    }

    void writeIsAtomicAndLeavesOldFileOnFailure() {
        test::TempDir dir;
        const auto target = dir / "x.safetensors";
        core::writeSafetensors(target, {{"w", torch::ones({2})}});
        const std::string before = test::readBytes(target);
        // A tensor named twice is refused before anything replaces the target.
        QVERIFY_THROWS_EXCEPTION(
            core::InvalidArgument,
            core::writeSafetensors(target, {{"a", torch::zeros({1})}, {"a", torch::zeros({1})}}));
        QCOMPARE(test::readBytes(target), before);
        for (const auto& entry : fs::directory_iterator(dir.path()))
            QCOMPARE(entry.path().filename().string(),
                     std::string("x.safetensors")); // no temp left
    }

    void shardedCheckpoint() {
        test::TempDir dir;
        core::writeSafetensors(dir / "model-00001-of-00002.safetensors", {{"a", torch::ones({2})}});
        core::writeSafetensors(dir / "model-00002-of-00002.safetensors",
                               {{"b", torch::zeros({3})}});
        test::writeText(dir / "model.safetensors.index.json",
                        R"({"metadata": {}, "weight_map": {"a": "model-00001-of-00002.safetensors",
                                                          "b": "model-00002-of-00002.safetensors"}})");
        auto checkpoint = core::SafetensorsCheckpoint::open(dir.path());
        QCOMPARE(checkpoint.names(), (std::vector<std::string>{"a", "b"}));
        QVERIFY(torch::equal(checkpoint.load("b"), torch::zeros({3})));
        QVERIFY_THROWS_EXCEPTION(core::MissingTensor, checkpoint.load("c"));

        // The index names a shard that is not there.
        test::writeText(
            dir / "model.safetensors.index.json",
            R"({"weight_map": {"a": "model-00001-of-00002.safetensors", "b": "gone.safetensors"}})");
        try {
            core::SafetensorsCheckpoint::open(dir.path());
            QFAIL("a missing shard was accepted");
        } catch (const core::Error& e) {
            QVERIFY2(std::string(e.what()).find("gone.safetensors") != std::string::npos, e.what());
        }
    }

    void refusesPickledCheckpoints() {
        test::TempDir dir;
        test::writeBytes(dir / "pytorch_model.bin", "\x80\x02 pickle");
        try {
            core::SafetensorsCheckpoint::open(dir.path());
            QFAIL("a pickled checkpoint was accepted");
        } catch (const core::UnsafeFormat& e) {
            const std::string message = e.what();
            QVERIFY2(message.find("pytorch_model.bin") != std::string::npos, e.what());
            QVERIFY2(message.find("safetensors") != std::string::npos, e.what());
        }
    }

    void malformed_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("fragment");
        const std::string ok = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
        const auto row = [](const char* name, const std::string& bytes, const char* fragment) {
            QTest::newRow(name) << QByteArray(bytes.data(), qsizetype(bytes.size()))
                                << QString::fromLatin1(fragment);
        };
        row("empty file", "", "too short");
        row("truncated length", std::string("\x10\x00\x00", 3), "too short");
        row("header longer than file", rawFile(ok, std::string(8, '\0'), 4096), "header length");
        row("header beyond cap", rawFile(ok, std::string(8, '\0'), int64_t(200'000'000)),
            "header length");
        row("truncated data", rawFile(ok, std::string(4, '\0')), "data_offsets");
        row("offsets out of range",
            rawFile(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,800]}})",
                    std::string(8, '\0')),
            "data_offsets");
        row("offsets reversed",
            rawFile(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})",
                    std::string(8, '\0')),
            "data_offsets");
        row("overlapping tensors",
            rawFile(
                R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                std::string(12, '\0')),
            "overlap");
        row("unknown dtype",
            rawFile(R"({"w":{"dtype":"F128","shape":[2],"data_offsets":[0,8]}})",
                    std::string(8, '\0')),
            "F128");
        row("byte count disagrees with shape",
            rawFile(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})",
                    std::string(8, '\0')),
            "shape");
        row("negative shape",
            rawFile(R"({"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})",
                    std::string(8, '\0')),
            "shape");
        row("header not JSON", rawFile("{not json", std::string(8, '\0')), "JSON");
        row("header not an object", rawFile("[1,2]", ""), "object");
        row("entry without offsets",
            rawFile(R"({"w":{"dtype":"F32","shape":[2]}})", std::string(8, '\0')), "data_offsets");
    }

    void malformed() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, fragment);
        test::TempDir dir;
        const auto file = dir / "bad.safetensors";
        test::writeBytes(file, bytes.toStdString());
        try {
            core::SafetensorsFile::open(file);
        } catch (const core::FormatError& e) {
            const std::string message = e.what();
            QVERIFY2(message.find(file.string()) != std::string::npos, e.what());
            QVERIFY2(message.find(fragment.toStdString()) != std::string::npos, e.what());
            return;
        } catch (const std::exception& e) {
            QFAIL(
                qPrintable(QStringLiteral("wrong exception type: ") + QString::fromUtf8(e.what())));
        }
        QFAIL("the malformed file was accepted");
    }

    void missingFileIsIoError() {
        test::TempDir dir;
        QVERIFY_THROWS_EXCEPTION(core::IoError,
                                 core::SafetensorsFile::open(dir / "absent.safetensors"));
    }
};

QTEST_GUILESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
