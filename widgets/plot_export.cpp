#include "plot_export.h"

#include "durable_save.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSvgGenerator>
#include <qcustomplot.h>

namespace anatomist::widgets {

namespace {

QString& subjectStorage() {
    static QString subject;
    return subject;
}

QString fullTitle(const QString& title) {
    if (title.isEmpty())
        return {};
    return figureSubject().isEmpty() ? title : title + QStringLiteral(" — ") + figureSubject();
}

// The plot below a title band, on any paint device: the same drawing for PNG, SVG and PDF.
void paintFigure(QCustomPlot* plot, QCPPainter& painter, int w, int plotHeight, int band,
                 const QString& title) {
    if (band > 0) {
        painter.fillRect(QRect(0, 0, w, band), Qt::white);
        QFont font = plot->font();
        font.setBold(true);
        font.setPointSizeF(font.pointSizeF() * 1.15);
        painter.setFont(font);
        painter.setPen(Qt::black);
        painter.drawText(QRect(8, 0, w - 16, band), Qt::AlignCenter | Qt::TextSingleLine, title);
        painter.translate(0, band);
    }
    plot->toPainter(&painter, w, plotHeight);
}

} // namespace

void setFigureSubject(const QString& subject) {
    subjectStorage() = subject;
}
QString figureSubject() {
    return subjectStorage();
}

QString withFilterSuffix(const QString& fileName, const QString& selectedFilter) {
    if (fileName.isEmpty() || !QFileInfo(fileName).suffix().isEmpty())
        return fileName;
    static const QRegularExpression pattern(QStringLiteral("\\*\\.(\\w+)"));
    const auto match = pattern.match(selectedFilter);
    return fileName + QLatin1Char('.') +
           (match.hasMatch() ? match.captured(1).toLower() : QStringLiteral("png"));
}

bool exportPlot(QCustomPlot* plot, const QString& fileName, int width, int height,
                const QString& title) {
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    const int w = width > 0 ? width : plot->width();
    const int plotHeight = height > 0 ? height : plot->height();
    const QString heading = fullTitle(title);
    const int band = heading.isEmpty() ? 0 : QFontMetrics(plot->font()).height() * 2;
    const int h = plotHeight + band;
    // Every format is painted into a QSaveFile: an export that fails or is interrupted leaves the
    // previous file (or none), never a truncated one.
    QSaveFile out(fileName);
    if (!out.open(QIODevice::WriteOnly))
        return false;
    auto paintOnto = [&](QPaintDevice& device) {
        QCPPainter painter;
        if (!painter.begin(&device))
            return false;
        paintFigure(plot, painter, w, plotHeight, band, heading);
        return painter.end();
    };
    const QString documentTitle = heading.isEmpty() ? QStringLiteral("Anatomist") : heading;
    bool painted = false;
    if (suffix == QLatin1String("pdf")) {
        QPdfWriter writer(&out);
        writer.setTitle(documentTitle);
        writer.setCreator(QStringLiteral("Anatomist"));
        writer.setPageSize(QPageSize(QSizeF(w, h), QPageSize::Point));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        writer.setResolution(72);
        painted = paintOnto(writer);
    } else if (suffix == QLatin1String("svg")) {
        QSvgGenerator generator;
        generator.setOutputDevice(&out);
        generator.setSize(QSize(w, h));
        generator.setViewBox(QRect(0, 0, w, h));
        generator.setTitle(documentTitle);
        painted = paintOnto(generator);
    } else {
        QImage image(w, h, QImage::Format_ARGB32);
        image.fill(Qt::white);
        QCPPainter painter;
        if (painter.begin(&image)) {
            painter.setRenderHint(QPainter::Antialiasing);
            paintFigure(plot, painter, w, plotHeight, band, heading);
            painter.end();
            painted = image.save(
                &out,
                suffix == QLatin1String("jpg") || suffix == QLatin1String("jpeg") ? "JPG" : "PNG");
        }
    }
    if (!painted || out.size() == 0) {
        out.cancelWriting();
        return false;
    }
    return commitDurably(out);
}

void addExportMenu(QCustomPlot* plot, const QString& baseName, std::function<QString()> title) {
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(
        plot, &QWidget::customContextMenuRequested, plot,
        [plot, baseName, title](const QPoint& pos) {
            QMenu menu(plot);
            QAction* save =
                menu.addAction(QIcon(QStringLiteral(":/icons/export.svg")),
                               QCoreApplication::translate("PlotExport", "Export image…"));
            if (menu.exec(plot->mapToGlobal(pos)) != save)
                return;
            QString filter;
            QString file = QFileDialog::getSaveFileName(
                plot, QCoreApplication::translate("PlotExport", "Export image"),
                baseName + QStringLiteral(".png"),
                QCoreApplication::translate(
                    "PlotExport", "PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)"),
                &filter);
            file = withFilterSuffix(file, filter);
            if (!file.isEmpty() &&
                !exportPlot(plot, file, std::max(plot->width(), 900), std::max(plot->height(), 600),
                            title ? title() : QString()))
                QMessageBox::warning(
                    plot, QCoreApplication::translate("PlotExport", "Export failed"),
                    QCoreApplication::translate("PlotExport", "Could not write %1.").arg(file));
        });
}

} // namespace anatomist::widgets
