#include "json_file.h"

#include "durable_save.h"

#include <QFile>
#include <QJsonDocument>

namespace anatomist::widgets {

bool JsonFile::write(const QString& file, const QJsonObject& json, QString& error) {
    const QByteArray bytes = QJsonDocument(json).toJson(QJsonDocument::Indented);
    return saveDurably(
        file, [&](QIODevice& out) { return out.write(bytes) == bytes.size(); }, &error);
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
