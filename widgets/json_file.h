#pragma once
// Reading and writing one JSON object as a file, for the window's documents (plans, sessions):
// atomic writes (QSaveFile) and errors that name the file and the problem.

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

namespace anatomist::widgets {

class JsonFile {
    Q_DECLARE_TR_FUNCTIONS(JsonFile)
public:
    static bool write(const QString& file, const QJsonObject& json, QString& error);
    // False, with `error` set, when the file cannot be read, is not JSON or holds no JSON object.
    static bool read(const QString& file, QJsonObject& json, QString& error);
};

} // namespace anatomist::widgets
