#include "test_support.h"

#include "test_paths.h"

#include <QProcess>
#include <QStringList>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

namespace anatomist::test {

fs::path sharedDir() {
    if (const char* env = std::getenv("ANATOMIST_SHARED_DIR"); env && *env)
        return env;
    return ANATOMIST_TEST_SHARED_DIR;
}

bool inCi() {
    const char* env = std::getenv("CI");
    if (!env)
        return false;
    const std::string value = env;
    return !value.empty() && value != "0" && value != "false";
}

fs::path sourceDir() {
    return ANATOMIST_TEST_SOURCE_DIR;
}
fs::path cliPath() {
    return ANATOMIST_TEST_CLI_PATH;
}

std::string readBytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + file.string());
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::string readText(const fs::path& file) {
    return readBytes(file);
}

void writeBytes(const fs::path& file, const std::string& bytes) {
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out)
        throw std::runtime_error("cannot write " + file.string());
}

void writeText(const fs::path& file, const std::string& text) {
    writeBytes(file, text);
}

nlohmann::json readJson(const fs::path& file) {
    return nlohmann::json::parse(readBytes(file));
}

TempDir::TempDir() {
    std::random_device device;
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto candidate = fs::temp_directory_path() / ("anatomist-test-" + std::to_string(device()));
        if (fs::create_directory(candidate)) {
            m_path = candidate;
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary folder");
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
}

nlohmann::json CliResult::json() const {
    try {
        return nlohmann::json::parse(out);
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(std::string("anatomist-cli printed invalid JSON: ") + e.what() +
                                 "\nstdout: " + out.substr(0, 2000) +
                                 "\nstderr: " + err.substr(0, 2000));
    }
}

CliResult runCli(const std::vector<std::string>& arguments, int timeoutSeconds) {
    QProcess process;
    QStringList list;
    for (const auto& a : arguments)
        list << QString::fromStdString(a);
    process.start(QString::fromStdString(cliPath().string()), list);
    CliResult result;
    if (!process.waitForStarted(30000)) {
        result.err = "cannot start " + cliPath().string();
        return result;
    }
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutSeconds * 1000)) {
        process.kill();
        process.waitForFinished();
        result.err = "timed out";
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput().toStdString();
    result.err = process.readAllStandardError().toStdString();
    return result;
}

void copyFolder(const fs::path& from, const fs::path& to) {
    fs::create_directories(to);
    fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    // ../shared is read-only; copies must be writable so tests can corrupt them.
    for (const auto& entry : fs::recursive_directory_iterator(to))
        fs::permissions(entry.path(), fs::perms::owner_write, fs::perm_options::add);
    fs::permissions(to, fs::perms::owner_write, fs::perm_options::add);
}

std::vector<std::string> architectureFixtures(const std::vector<std::string>& exclude) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(sharedDir() / "fixtures" / "arch", ec)) {
        const auto name = entry.path().filename().string();
        if (entry.is_directory() && fs::exists(entry.path() / "config.json") &&
            std::find(exclude.begin(), exclude.end(), name) == exclude.end())
            names.push_back(name);
    }
    if (names.empty())
        return {"llama"};
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace anatomist::test
