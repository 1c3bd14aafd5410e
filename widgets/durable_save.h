#pragma once
// Atomic, durable file writes for the window's exports and documents (plots, tables, plans,
// sessions): the bytes go to a temporary sibling (QSaveFile), which is fsync'ed and renamed over
// the target, and then the folder is fsync'ed so that the rename itself survives a power cut. A
// failure or a crash at any point leaves the previous file (or none), never a half-written one.

#include <QSaveFile>
#include <QString>
#include <functional>

class QIODevice;

namespace anatomist::widgets {

// Commits `file` (opened by the caller) and fsyncs its folder. False when the commit failed; the
// target is then untouched and file.errorString() says why.
bool commitDurably(QSaveFile& file);

// Opens a QSaveFile on `fileName`, runs `fill` on it and commits it durably. False, with the
// target untouched, when the file cannot be created, `fill` returns false or the commit fails;
// `error` (if given) then names the file and the problem.
bool saveDurably(const QString& fileName, const std::function<bool(QIODevice&)>& fill,
                 QString* error = nullptr);

// fsync of the folder that holds `fileName` (after a rename into it).
void syncFolderOf(const QString& fileName);

} // namespace anatomist::widgets
