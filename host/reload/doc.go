// Package reload applies edits of the scripts folder to a running engine:
// a changed file swaps its strategy for the new version, a new file starts
// one, a deleted file stops one, and a changed module reloads every strategy
// that requires it.
//
// The rules, in the order a change meets them:
//
//   - The new source is compiled and its contract checked first. A syntax,
//     load or contract error keeps the running version and is reported with
//     file and line; the strategy's status reads "running v2, v3 rejected: …".
//   - A good version replaces the old one between two events (the Reloader
//     runs on the engine's goroutine): the old version's on_stop, then the new
//     one's on_start with the table on_stop returned. Positions, working
//     orders, bar and indicator history and the account stay; events that
//     arrive meanwhile wait in the feed and reach the new version in order.
//   - If the new version's on_start fails, the new version is kept (the old
//     one has stopped) and host/script counts the failure: the strategy runs
//     on without what on_start would have set up, on the same account, and
//     a later successful hook clears the count. Only when that failure
//     reaches Options.MaxFailures (1, say) is the strategy paused, which
//     cancels its working orders and keeps its positions; it runs again
//     when the file changes. The reload is logged as an error.
//   - A save that changes nothing does nothing; a save that restores the
//     running version clears a rejection.
//   - A deleted file stops its strategy: on_stop, working orders cancelled,
//     positions kept and logged.
//   - A renamed file whose content and strategy name are unchanged keeps
//     running untouched; otherwise a rename is a removal plus an addition.
//   - A new name in an edited file is a new strategy: the old one is removed
//     and the new one added.
//   - A file that declares the name of a strategy another file runs is
//     rejected ("not running, v1 rejected: … is already run by …"); it is
//     tried again when that strategy's file goes away, so a file renamed
//     and edited in one go runs from its new name on its old account.
//
// Every reload is logged (strategy, old and new content hash, duration,
// result) and counted; Status and Counters are the one place later parts
// (a dashboard, metrics) read them from.
package reload
