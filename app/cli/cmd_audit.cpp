// anatomist-cli audit (issue 15): the fairness audit over default pair sets or pair files, written
// as a self-contained HTML report and, with --json, as the JSON document of the same numbers.

#include "audit_pdf.h"
#include "cli_common.h"
#include "commands.h"

#include "analysis/audit_report.h"
#include "analysis/fairness_audit.h"
#include "analysis/pair_sets.h"
#include "io/atomic_file.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace anatomist::cli {

namespace {

// POSIX shell quoting, so that the printed command line can be pasted back.
std::string shellQuote(const std::string& s) {
    if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789-_./=,:+@%") == std::string::npos)
        return s;
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::vector<std::string> pairSetsFromArgs(const Args& args) {
    std::vector<std::string> sets;
    for (const auto& value : args.values("pairs"))
        for (const auto& item : splitCommaList(value))
            sets.push_back(item);
    if (sets.empty())
        sets = core::defaultPairSetNames();
    return sets;
}

} // namespace

int runAudit(const std::vector<std::string>& arguments) {
    const Args args(arguments,
                    withOptions({"pairs", "out", "json", "pdf", "top-layers", "top-neurons",
                                 "fairness-weight"},
                                kModelOptions),
                    {});
    args.expectPositionals(1, 1);
    const auto out = args.required("out");
    core::FairnessAuditOptions options;
    options.topLayers = int(args.intValue("top-layers", 3));
    options.topNeurons = int(args.intValue("top-neurons", 20));
    options.fairnessWeight = args.doubleValue("fairness-weight", 0.5);
    if (options.topLayers < 1 || options.topNeurons < 1)
        throw UsageError("--top-layers and --top-neurons must be at least 1");
    if (options.fairnessWeight < 0 || options.fairnessWeight > 1)
        throw UsageError("--fairness-weight must be between 0 and 1");
    const auto pairs = core::readAuditPairs(pairSetsFromArgs(args));
    auto loaded = loadModelFromArgs(args, true);
    const auto result = core::runFairnessAudit(loaded, pairs, options, core::nullJobContext());

    std::string commandLine = "anatomist-cli audit";
    for (const auto& a : arguments)
        commandLine += " " + shellQuote(a);
    const auto html = core::auditReportHtml(
        result, {commandLine, std::string("Anatomist ") + ANATOMIST_VERSION});
    core::writeTextAtomically(out, html);
    if (auto json = args.value("json")) {
        auto document = core::toJson(result);
        document["command_line"] = commandLine;
        core::writeTextAtomically(*json, document.dump(1) + "\n");
    }
    if (auto pdf = args.value("pdf"))
        writeAuditPdf(html, *pdf);
    std::cout << result.contrastive.pairs.size() << " pairs in " << result.categories.size()
              << " categories, " << fixed(result.seconds, 2) << " s\n";
    for (const auto& g : result.categories) {
        std::cout << "  " << g.name << ": most divergent layers";
        for (int l : g.topLayers)
            std::cout << " " << l;
        std::cout << "\n";
    }
    std::cout << "report: " << out << "\n";
    return 0;
}

} // namespace anatomist::cli
