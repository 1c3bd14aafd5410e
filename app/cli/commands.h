#pragma once
// Every anatomist-cli command is one function in its own cmd_*.cpp file, listed once in
// command_table.cpp. A command returns the process exit code; errors travel as exceptions
// (core::Error, UsageError) and main() turns them into one-line messages.

#include <span>
#include <string>
#include <vector>

namespace anatomist::cli {

using CommandFn = int (*)(const std::vector<std::string>& arguments);

struct Command {
    const char* name;
    const char* usage;   // "info MODEL [--json]"
    const char* summary; // one line for the command list
    CommandFn run;
};

std::span<const Command> commands();

int runInfo(const std::vector<std::string>& arguments);
int runEval(const std::vector<std::string>& arguments);
int runGenerate(const std::vector<std::string>& arguments);
int runImportLlama2c(const std::vector<std::string>& arguments);
int runBench(const std::vector<std::string>& arguments);
int runSgemm(const std::vector<std::string>& arguments);
int runAnalyze(const std::vector<std::string>& arguments);
int runTokenize(const std::vector<std::string>& arguments);
int runTrain(const std::vector<std::string>& arguments);
int runPrune(const std::vector<std::string>& arguments);
int runExport(const std::vector<std::string>& arguments);
int runSelectLayers(const std::vector<std::string>& arguments);
int runCompare(const std::vector<std::string>& arguments);
int runCalibrateBypass(const std::vector<std::string>& arguments);
int runDistill(const std::vector<std::string>& arguments);
int runLoraCommand(const std::vector<std::string>& arguments);
int runAudit(const std::vector<std::string>& arguments);

} // namespace anatomist::cli
