#include "language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

namespace anatomist::gui {

namespace {
QTranslator* g_app = nullptr;
QTranslator* g_qt = nullptr;
} // namespace

QStringList availableLanguages() {
    return {QStringLiteral("en"), QStringLiteral("es"), QStringLiteral("ca")};
}

QString applyLanguage(const QString& code) {
    QString lang = code;
    if (lang.isEmpty()) {
        lang = QLocale::system().name().section(QLatin1Char('_'), 0, 0);
        if (!availableLanguages().contains(lang))
            lang = QStringLiteral("en");
    }
    for (QTranslator** t : {&g_app, &g_qt}) {
        if (*t) {
            QCoreApplication::removeTranslator(*t);
            delete *t;
            *t = nullptr;
        }
    }
    if (lang != QLatin1String("en")) {
        g_app = new QTranslator;
        if (g_app->load(QStringLiteral(":/i18n/anatomist_%1.qm").arg(lang)))
            QCoreApplication::installTranslator(g_app);
        g_qt = new QTranslator;
        if (g_qt->load(QStringLiteral("qtbase_%1").arg(lang),
                       QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QCoreApplication::installTranslator(g_qt);
    }
    QLocale::setDefault(QLocale(lang));
    return lang;
}

QString languageSetting() {
    return QSettings().value(QStringLiteral("language")).toString();
}

void setLanguageSetting(const QString& code) {
    QSettings().setValue(QStringLiteral("language"), code);
}

} // namespace anatomist::gui
