#pragma once
// What every test shares: where ../shared is, failing (not skipping) in CI when it is missing,
// temporary folders, JSON files, and running anatomist-cli as a subprocess.

#include <QString>
#include <QTest>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace anatomist::test {

namespace fs = std::filesystem;

// ANATOMIST_SHARED_DIR from the environment, else the CMake setting.
fs::path sharedDir();
bool inCi(); // CI is set to anything but "" / "0" / "false"

fs::path sourceDir();
fs::path cliPath();

nlohmann::json readJson(const fs::path& file);
std::string readText(const fs::path& file);
void writeText(const fs::path& file, const std::string& text);
std::string readBytes(const fs::path& file);
void writeBytes(const fs::path& file, const std::string& bytes);

// A fresh folder under the system temp dir, removed when the object goes away.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return m_path; }
    fs::path operator/(const std::string& name) const { return m_path / name; }

private:
    fs::path m_path;
};

struct CliResult {
    int exitCode = -1;
    std::string out;
    std::string err;
    nlohmann::json json() const; // parses `out`; QFAIL-style exception text when invalid
};

// Runs anatomist-cli with the arguments; timeout in seconds.
CliResult runCli(const std::vector<std::string>& arguments, int timeoutSeconds = 600);

// Copies a folder (for tests that corrupt a model without touching ../shared).
void copyFolder(const fs::path& from, const fs::path& to);

// The architecture fixtures under ../shared/fixtures/arch (folders with a config.json), sorted, so
// that a new family's fixture is picked up by every per-family test without editing test lists.
// `exclude` drops names (e.g. a dtype variant a test has no use for). When the folder is missing
// the list is {"llama"}, so the test's ANATOMIST_REQUIRE_SHARED reports it (a failure in CI).
std::vector<std::string> architectureFixtures(const std::vector<std::string>& exclude = {});

} // namespace anatomist::test

// Skips when the shared asset is absent on a developer machine; fails under CI, where a missing
// asset would otherwise turn the suite green without testing anything.
#define ANATOMIST_REQUIRE_SHARED(relativePath)                                                     \
    do {                                                                                           \
        const auto anatomistSharedPath_ = anatomist::test::sharedDir() / (relativePath);           \
        if (!std::filesystem::exists(anatomistSharedPath_)) {                                      \
            const QString anatomistMessage_ =                                                      \
                QStringLiteral("shared asset missing: ") +                                         \
                QString::fromStdString(anatomistSharedPath_.string());                             \
            if (anatomist::test::inCi())                                                           \
                QFAIL(qPrintable(anatomistMessage_ + QStringLiteral(" (CI is set: failing)")));    \
            QSKIP(qPrintable(anatomistMessage_));                                                  \
        }                                                                                          \
    } while (false)

// Compares with a tolerance and prints both values and the context on failure.
#define ANATOMIST_COMPARE_NEAR(actual, expected, tolerance, context)                               \
    do {                                                                                           \
        const double anatomistA_ = (actual), anatomistE_ = (expected);                             \
        if (!(std::abs(anatomistA_ - anatomistE_) <= (tolerance)))                                 \
            QFAIL(qPrintable(QStringLiteral("%1: got %2, expected %3 (tolerance %4)")              \
                                 .arg(QString::fromStdString(std::string(context)))                \
                                 .arg(anatomistA_, 0, 'g', 10)                                     \
                                 .arg(anatomistE_, 0, 'g', 10)                                     \
                                 .arg(double(tolerance), 0, 'g', 3)));                             \
    } while (false)

// QCOMPARE cannot take nlohmann::json (its implicit conversions meet QTest's overloads): compares
// two JSON values and prints both on failure.
#define ANATOMIST_COMPARE_JSON(actual, expected)                                                   \
    do {                                                                                           \
        const nlohmann::json anatomistActualJson_ = (actual), anatomistExpectedJson_ = (expected); \
        QVERIFY2(anatomistActualJson_ == anatomistExpectedJson_,                                   \
                 (anatomistActualJson_.dump() + " != " + anatomistExpectedJson_.dump()).c_str());  \
    } while (false)
