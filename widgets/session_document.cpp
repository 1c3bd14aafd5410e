#include "session_document.h"

#include "json_file.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

namespace anatomist::widgets {

namespace {

const QString kFormat = QStringLiteral("anatomist-session");

QString resolved(const QString& path, const QString& folder) {
    if (path.isEmpty() || QFileInfo(path).isAbsolute() || folder.isEmpty())
        return path;
    return QDir::cleanPath(QDir(folder).absoluteFilePath(path));
}

} // namespace

QJsonObject SessionDocument::toJson() const {
    QJsonObject datasetsJson;
    for (auto it = datasets.begin(); it != datasets.end(); ++it)
        datasetsJson.insert(it.key(), it.value());
    QJsonArray variantsJson;
    for (const auto& v : variants) {
        QJsonObject o{{QStringLiteral("name"), v.name}, {QStringLiteral("summary"), v.summary}};
        if (!v.plan.isEmpty())
            o.insert(QStringLiteral("plan"), v.plan);
        else
            o.insert(QStringLiteral("path"), v.path);
        variantsJson.append(o);
    }
    QJsonObject out{{QStringLiteral("format"), kFormat},
                    {QStringLiteral("version"), kVersion},
                    {QStringLiteral("model"), modelPath},
                    {QStringLiteral("datasets"), datasetsJson},
                    {QStringLiteral("variants"), variantsJson},
                    {QStringLiteral("distill_runs"), QJsonArray::fromStringList(distillRuns)},
                    {QStringLiteral("view"), view}};
    if (!plan.isEmpty())
        out.insert(QStringLiteral("plan"), plan);
    return out;
}

bool SessionDocument::fromJson(const QJsonObject& json, const QString& source,
                               const QString& folder, SessionDocument& out, QString& error) {
    if (json.value(QStringLiteral("format")).toString() != kFormat) {
        error =
            tr("%1 is not an Anatomist session (\"format\" must be \"%2\")").arg(source, kFormat);
        return false;
    }
    const QJsonValue version = json.value(QStringLiteral("version"));
    if (!version.isDouble() || version.toInt() < 1) {
        error = tr("%1: the session has no valid \"version\"").arg(source);
        return false;
    }
    if (version.toInt() > kVersion) {
        error = tr("%1 was written by a newer Anatomist (session version %2; this one reads "
                   "version %3)")
                    .arg(source)
                    .arg(version.toInt())
                    .arg(kVersion);
        return false;
    }
    auto fail = [&](const QString& what) {
        error = tr("%1: %2").arg(source, what);
        return false;
    };
    SessionDocument s;
    if (!json.value(QStringLiteral("model")).isString() ||
        json.value(QStringLiteral("model")).toString().isEmpty())
        return fail(tr("\"model\" must name the model folder or file"));
    s.modelPath = resolved(json.value(QStringLiteral("model")).toString(), folder);

    const QJsonValue datasets = json.value(QStringLiteral("datasets"));
    if (!datasets.isUndefined() && !datasets.isObject())
        return fail(tr("\"datasets\" must be an object"));
    const QJsonObject datasetsObject = datasets.toObject();
    for (auto it = datasetsObject.begin(); it != datasetsObject.end(); ++it) {
        if (!it.value().isString())
            return fail(tr("dataset \"%1\" must be a path (a string)").arg(it.key()));
        s.datasets.insert(it.key(), resolved(it.value().toString(), folder));
    }

    const QJsonValue plan = json.value(QStringLiteral("plan"));
    if (!plan.isUndefined() && !plan.isNull()) {
        PlanDocument check;
        QString planError;
        if (!plan.isObject() ||
            !PlanDocument::fromJson(plan.toObject(), tr("the plan"), check, planError))
            return fail(plan.isObject() ? planError : tr("\"plan\" must be a plan document"));
        s.plan = plan.toObject();
    }

    const QJsonValue variants = json.value(QStringLiteral("variants"));
    if (!variants.isUndefined() && !variants.isArray())
        return fail(tr("\"variants\" must be a list"));
    const QJsonArray variantsArray = variants.toArray();
    for (qsizetype i = 0; i < variantsArray.size(); ++i) {
        const QJsonObject o = variantsArray[i].toObject();
        SessionVariant v;
        v.name = o.value(QStringLiteral("name")).toString();
        v.summary = o.value(QStringLiteral("summary")).toString();
        if (v.name.trimmed().isEmpty())
            return fail(tr("variant %1 has no \"name\"").arg(i));
        if (o.value(QStringLiteral("plan")).isObject()) {
            PlanDocument check;
            QString planError;
            if (!PlanDocument::fromJson(o.value(QStringLiteral("plan")).toObject(),
                                        tr("variant %1").arg(v.name), check, planError))
                return fail(planError);
            v.plan = o.value(QStringLiteral("plan")).toObject();
        } else if (o.value(QStringLiteral("path")).isString() &&
                   !o.value(QStringLiteral("path")).toString().isEmpty()) {
            v.path = resolved(o.value(QStringLiteral("path")).toString(), folder);
        } else {
            return fail(tr("variant %1 needs a \"plan\" or a \"path\"").arg(v.name));
        }
        s.variants.push_back(v);
    }

    const QJsonValue runs = json.value(QStringLiteral("distill_runs"));
    if (!runs.isUndefined() && !runs.isArray())
        return fail(tr("\"distill_runs\" must be a list of folders"));
    for (const auto& r : runs.toArray()) {
        if (!r.isString())
            return fail(tr("\"distill_runs\" must be a list of folders"));
        s.distillRuns << resolved(r.toString(), folder);
    }
    s.view = json.value(QStringLiteral("view")).toString();
    out = std::move(s);
    return true;
}

bool SessionDocument::save(const QString& file, QString& error) const {
    return JsonFile::write(file, toJson(), error);
}

bool SessionDocument::load(const QString& file, SessionDocument& out, QString& error) {
    QJsonObject json;
    return JsonFile::read(file, json, error) &&
           fromJson(json, file, QFileInfo(file).absolutePath(), out, error);
}

QVector<QPair<QString, QJsonObject>> SessionDocument::plans() const {
    QVector<QPair<QString, QJsonObject>> out;
    if (!plan.isEmpty())
        out.append({tr("the plan"), plan});
    for (const auto& v : variants)
        if (!v.plan.isEmpty())
            out.append({tr("variant %1").arg(v.name), v.plan});
    return out;
}

} // namespace anatomist::widgets
