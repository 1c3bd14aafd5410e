#pragma once
// The UI language: "" follows the system locale, else "en", "es", "ca". Installing translators
// sends QEvent::LanguageChange to every widget, which retranslates itself live.

#include <QString>
#include <QStringList>

namespace anatomist::gui {

QStringList availableLanguages(); // "en", "es", "ca"
// Loads the app's and Qt's catalogues for `code` ("" = system) and installs them, replacing any
// installed earlier. Returns the language actually used.
QString applyLanguage(const QString& code);
// The setting "language" ("" = system).
QString languageSetting();
void setLanguageSetting(const QString& code);

} // namespace anatomist::gui
