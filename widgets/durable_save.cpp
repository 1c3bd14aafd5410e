#include "durable_save.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <fcntl.h>
#include <unistd.h>

namespace anatomist::widgets {

void syncFolderOf(const QString& fileName) {
    const QByteArray folder = QFile::encodeName(QFileInfo(fileName).absolutePath());
    const int fd = ::open(folder.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return; // the file is in place; only its durability across a power cut is at stake
    ::fsync(fd);
    ::close(fd);
}

bool commitDurably(QSaveFile& file) {
    // QSaveFile::commit() flushes and fsyncs the temporary file before renaming it.
    if (!file.commit())
        return false;
    syncFolderOf(file.fileName());
    return true;
}

bool saveDurably(const QString& fileName, const std::function<bool(QIODevice&)>& fill,
                 QString* error) {
    QSaveFile out(fileName);
    auto fail = [&](const QString& why) {
        out.cancelWriting();
        if (error)
            *error = QCoreApplication::translate("anatomist::widgets::DurableSave",
                                                 "Could not write %1: %2")
                         .arg(fileName, why);
        return false;
    };
    if (!out.open(QIODevice::WriteOnly))
        return fail(out.errorString());
    if (!fill(out))
        return fail(out.errorString().isEmpty() || out.error() == QFileDevice::NoError
                        ? QCoreApplication::translate("anatomist::widgets::DurableSave",
                                                      "the content could not be produced")
                        : out.errorString());
    if (!commitDurably(out)) {
        if (error)
            *error = QCoreApplication::translate("anatomist::widgets::DurableSave",
                                                 "Could not write %1: %2")
                         .arg(fileName, out.errorString());
        return false;
    }
    return true;
}

} // namespace anatomist::widgets
