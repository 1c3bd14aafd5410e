#include "plot_export.h"

#include <QFileInfo>
#include <QSvgGenerator>
#include <qcustomplot.h>

namespace anatomist::widgets {

bool exportPlot(QCustomPlot* plot, const QString& fileName, int width, int height) {
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    const int w = width > 0 ? width : plot->width();
    const int h = height > 0 ? height : plot->height();
    if (suffix == QLatin1String("pdf"))
        return plot->savePdf(fileName, w, h);
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator generator;
        generator.setFileName(fileName);
        generator.setSize(QSize(w, h));
        generator.setViewBox(QRect(0, 0, w, h));
        generator.setTitle(QStringLiteral("Anatomist"));
        QCPPainter painter;
        if (!painter.begin(&generator))
            return false;
        plot->toPainter(&painter, w, h);
        painter.end();
        return QFileInfo(fileName).size() > 0;
    }
    return plot->savePng(fileName, w, h);
}

} // namespace anatomist::widgets
