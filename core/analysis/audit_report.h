#pragma once
// The fairness audit as one self-contained HTML document (issue 15): inline CSS, charts as SVG
// embedded in data: URIs, no script and nothing fetched from anywhere, so that it can be mailed,
// archived or printed as it is. Its tables hold the numbers of toJson(FairnessAuditResult) (six
// significant digits).

#include "analysis/audit_comparison.h"
#include "analysis/fairness_audit.h"

#include <string>

namespace anatomist::core {

struct AuditReportText {
    std::string commandLine; // to reproduce the report, shown verbatim
    std::string generator;   // "Anatomist 0.1.0"
};

std::string auditReportHtml(const FairnessAuditResult& result, const AuditReportText& text);

// The same report with a "Before and after compression" section after the model card: the
// variants, per category the mean ratios of the variant's to the base's numbers on the base layers
// it kept (widened / narrowed), and per category a chart and a per-layer table at base layer
// indices (a removed layer is blank). The numbers are those of toJson(AuditVariantComparison).
std::string auditReportHtml(const FairnessAuditResult& result,
                            const std::vector<AuditVariantComparison>& variants,
                            const AuditReportText& text);

} // namespace anatomist::core
