#pragma once
// The audit report as PDF: the HTML laid out by Qt's QTextDocument (its rich-text subset: the
// report's tables, headings and embedded SVG charts, drawn through QSvgRenderer) and printed with
// QPdfWriter on A4. Needs a QGuiApplication, which it creates on the offscreen platform when none
// exists, so it runs without a display.

#include <QTextDocument>
#include <filesystem>
#include <memory>
#include <string>

namespace anatomist::cli {

// A document that resolves the report's data:image/svg+xml URIs into images (scale × their size).
// Needs a QGuiApplication.
std::unique_ptr<QTextDocument> auditTextDocument(const std::string& html, double imageScale = 2.0);

// Writes the PDF atomically (a temporary in the same folder, renamed); IoError on failure.
void writeAuditPdf(const std::string& html, const std::filesystem::path& pdf);

} // namespace anatomist::cli
