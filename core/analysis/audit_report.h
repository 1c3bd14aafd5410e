#pragma once
// The fairness audit as one self-contained HTML document (issue 15): inline CSS, charts as SVG
// embedded in data: URIs, no script and nothing fetched from anywhere, so that it can be mailed,
// archived or printed as it is. Its tables hold the numbers of toJson(FairnessAuditResult) (six
// significant digits).

#include "analysis/fairness_audit.h"

#include <string>

namespace anatomist::core {

struct AuditReportText {
    std::string commandLine; // to reproduce the report, shown verbatim
    std::string generator;   // "Anatomist 0.1.0"
};

std::string auditReportHtml(const FairnessAuditResult& result, const AuditReportText& text);

} // namespace anatomist::core
