#include "audit_pdf.h"

#include "errors.h"
#include "io/atomic_file.h"

#include <QAbstractTextDocumentLayout>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgRenderer>
#include <QUrl>

namespace anatomist::cli {

namespace {

class ReportDocument : public QTextDocument {
public:
    explicit ReportDocument(double scale)
        : m_scale(scale) {}

protected:
    QVariant loadResource(int type, const QUrl& name) override {
        const QString uri = name.toString();
        const QString prefix = QStringLiteral("data:image/svg+xml;base64,");
        if (type != QTextDocument::ImageResource || !uri.startsWith(prefix))
            return QTextDocument::loadResource(type, name);
        QSvgRenderer svg(QByteArray::fromBase64(uri.mid(prefix.size()).toLatin1()));
        if (!svg.isValid())
            return {};
        // Drawn at scale × the SVG's size, shown at its size: sharp on a printed page.
        QImage image(svg.defaultSize() * m_scale, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        svg.render(&painter);
        painter.end();
        // Qt lays an image out at its device-independent size × the paint device's dpi / 96: on
        // the 110-dpi PDF a 760-pixel chart became wider than the page and was cut on the right.
        // Shrink what does not fit the page's width (less the body's padding).
        double ratio = m_scale;
        const auto* device = documentLayout() ? documentLayout()->paintDevice() : nullptr;
        if (device && pageSize().width() > 0) {
            const double layoutScale = double(device->logicalDpiY()) / 96.0;
            const double available = pageSize().width() * 0.94;
            const double wanted = svg.defaultSize().width() * layoutScale;
            if (wanted > available)
                ratio *= wanted / available;
        }
        image.setDevicePixelRatio(ratio);
        return image;
    }

private:
    double m_scale;
};

// QTextDocument and QPdfWriter need a QGuiApplication; the CLI has none until a PDF is asked for.
// Null when one exists already.
std::unique_ptr<QGuiApplication> guiApplication() {
    if (QCoreApplication::instance())
        return nullptr;
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "anatomist-cli";
    static char* argv[] = {name, nullptr};
    return std::make_unique<QGuiApplication>(argc, argv);
}

} // namespace

std::unique_ptr<QTextDocument> auditTextDocument(const std::string& html, double imageScale) {
    auto doc = std::make_unique<ReportDocument>(imageScale);
    doc->setDefaultFont(QFont(QStringLiteral("DejaVu Sans"), 9));
    doc->setHtml(QString::fromStdString(html));
    return doc;
}

void writeAuditPdf(const std::string& html, const std::filesystem::path& pdf) {
    const QString target = QString::fromStdString(pdf.string());
    const auto app = guiApplication(); // outlives the document
    auto doc = auditTextDocument(html);
    QSaveFile file(target);
    if (!file.open(QIODevice::WriteOnly))
        throw core::IoError(pdf.string() + ": cannot write (" + file.errorString().toStdString() +
                            ")");
    {
        QPdfWriter writer(&file);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
        // 110 dpi: the report's 760-pixel charts are 17.5 cm wide, inside A4's 18 cm.
        writer.setResolution(110);
        writer.setTitle(doc->metaInformation(QTextDocument::DocumentTitle));
        writer.setCreator(QStringLiteral("Anatomist"));
        doc->documentLayout()->setPaintDevice(&writer);
        doc->setPageSize(writer.pageLayout().paintRectPixels(writer.resolution()).size());
        doc->print(&writer);
    }
    if (!file.commit())
        throw core::IoError(pdf.string() + ": cannot write (" + file.errorString().toStdString() +
                            ")");
    core::syncDirectory(pdf.parent_path()); // QSaveFile fsyncs the file, not the rename
}

} // namespace anatomist::cli
