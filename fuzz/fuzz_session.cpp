// The window's own files: session documents (*.anatomist-session) and plan documents, read with
// Qt's JSON parser and checked field by field (widgets/session_document, widgets/plan_document).
// The property is that load() returns an error message rather than crashing, and that a document
// which loads saves and reloads to the same document.
#include "plan_document.h"
#include "session_document.h"

#include <QByteArray>
#include <QJsonDocument>
#include <cstdio>
#include <cstdlib>

using namespace anatomist::widgets;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto doc = QJsonDocument::fromJson(
        QByteArray::fromRawData(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size)));
    if (!doc.isObject())
        return 0;
    QString error;
    SessionDocument session;
    if (SessionDocument::fromJson(doc.object(), QStringLiteral("session"),
                                  QStringLiteral("/nonexistent"), session, error)) {
        SessionDocument again;
        if (!SessionDocument::fromJson(session.toJson(), QStringLiteral("session"),
                                       QStringLiteral("/nonexistent"), again, error)) {
            std::fprintf(stderr, "fuzz_session: a session that loaded does not reload: %s\n",
                         qPrintable(error));
            std::abort();
        }
    }
    PlanDocument plan;
    if (PlanDocument::fromJson(doc.object(), QStringLiteral("plan"), plan, error)) {
        PlanDocument again;
        if (!PlanDocument::fromJson(plan.toJson(), QStringLiteral("plan"), again, error) ||
            !(again == plan)) {
            std::fprintf(stderr, "fuzz_session: a plan that loaded does not reload the same: %s\n",
                         qPrintable(error));
            std::abort();
        }
    }
    return 0;
}
