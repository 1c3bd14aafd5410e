// anatomist-cli audit (issue 15): the fairness audit over default pair sets or pair files, written
// as a self-contained HTML report and, with --json, as the JSON document of the same numbers. Each
// --variant (a variant folder, a .gguf file or a pruning plan) is audited on the same pairs and
// compared with the base (audit_comparison.h).

#include "analysis/audit_comparison.h"
#include "analysis/audit_report.h"
#include "analysis/fairness_audit.h"
#include "analysis/pair_sets.h"
#include "audit_pdf.h"
#include "cli_common.h"
#include "commands.h"
#include "io/atomic_file.h"

#include <iostream>
#include <nlohmann/json.hpp>

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
                                 "fairness-weight", "variant"},
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
    // Variants are opened first, so that a bad one fails before the audits run.
    core::LoadOptions load;
    load.dtype = core::parseDtype(args.valueOr("dtype", "f32"));
    std::vector<core::AuditVariantModel> models;
    for (const auto& spec : args.values("variant"))
        models.push_back(core::loadAuditVariant(spec, loaded, load, core::nullJobContext()));
    const auto result = core::runFairnessAudit(loaded, pairs, options, core::nullJobContext());
    std::vector<core::AuditVariantComparison> variants;
    for (auto& m : models)
        variants.push_back(core::compareAudits(
            result, core::runFairnessAudit(m.loaded, pairs, options, core::nullJobContext()), m));

    std::string commandLine = "anatomist-cli audit";
    for (const auto& a : arguments)
        commandLine += " " + shellQuote(a);
    const auto html = core::auditReportHtml(
        result, variants, {commandLine, std::string("Anatomist ") + ANATOMIST_VERSION});
    core::writeTextAtomically(out, html);
    if (auto json = args.value("json")) {
        auto document = core::toJson(result);
        document["command_line"] = commandLine;
        if (!variants.empty()) {
            document["variants"] = nlohmann::json::array();
            for (const auto& v : variants)
                document["variants"].push_back(core::toJson(v));
        }
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
    for (std::size_t v = 0; v < variants.size(); ++v) {
        const auto& x = variants[v];
        std::cout << "variant [" << v + 1 << "] " << x.name << ", cosine distance variant/base:";
        auto print = [](const core::AuditCategoryComparison& g) {
            std::cout << " " << g.name << " " << fixed(g.metrics[0].meanRatio, 4) << " ("
                      << g.metrics[0].change << ")";
        };
        print(x.overall);
        for (const auto& g : x.categories)
            print(g);
        std::cout << "\n";
    }
    std::cout << "report: " << out << "\n";
    return 0;
}

} // namespace anatomist::cli
