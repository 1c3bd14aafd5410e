#include "json_file.h"

#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

namespace anatomist::widgets {

bool JsonFile::write(const QString& file, const QJsonObject& json, QString& error) {
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) ||
        out.write(QJsonDocument(json).toJson(QJsonDocument::Indented)) < 0 || !out.commit()) {
        error = tr("Could not write %1: %2").arg(file, out.errorString());
        return false;
    }
    return true;
}

bool JsonFile::read(const QString& file, QJsonObject& json, QString& error) {
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly)) {
        error = tr("Could not read %1: %2").arg(file, in.errorString());
        return false;
    }
    QJsonParseError parse;
    const auto doc = QJsonDocument::fromJson(in.readAll(), &parse);
    if (parse.error != QJsonParseError::NoError) {
        error = tr("%1 is not valid JSON (%2 at byte %3)")
                    .arg(file, parse.errorString())
                    .arg(parse.offset);
        return false;
    }
    if (!doc.isObject()) {
        error = tr("%1 does not hold a JSON object").arg(file);
        return false;
    }
    json = doc.object();
    return true;
}

} // namespace anatomist::widgets
