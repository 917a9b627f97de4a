// Package record writes what the engine sees to a store without ever making
// the engine wait for it.
//
// Market data and events go through Recorder.Tick, Bar and Event: they land in
// a bounded in-memory buffer and a background writer sends them to the store in
// batches, in the order they were recorded. When the store is slow or down the
// writer retries with backoff; when the buffer fills up, records go to an
// append-only spill file in Config.Dir instead, and the writer replays those
// files once the store catches up (also after a restart). The store's writes
// must therefore be idempotent: a batch can be sent again after an error whose
// outcome is unknown, and a spill file is replayed whole if the host stopped
// half-way through it.
//
// What a killed process (kill -9, a crash) loses is bounded in time: a record
// is in the store, or in a spill file the operating system holds, within
// FlushInterval plus the time of the store write that takes it while the
// store keeps up (100 ms for a write under 50 ms, the live case), and at
// most FlushInterval + StallAfter + FlushInterval/2 after it was recorded
// (325 ms by default) when the store stalls. The writer sends the buffer
// every FlushInterval; a guard pushes the open spill file's lines to the
// operating system every FlushInterval/2 and, when a store call has lasted
// StallAfter, moves the buffer to a spill file and copies the batch being
// written (the copy is deleted once the store has it). Spill
// files are fsynced when closed, not line by line: a power failure can lose
// more. A caller that resumes a market after the last stored tick must also
// look at SpilledUntil, the last tick of the spill files an earlier run left,
// which reach the store only after Start.
//
// Orders, fills and positions take the journal instead (SaveOrder, SaveFill,
// SavePosition): each is appended to a journal file in Config.Dir and
// fsynced before the call returns, so the host acts on nothing a crash could
// make it forget, and the call costs a local write, never a wait for the
// store. A background feeder writes the journal to the Durable store in the
// order it was written, retrying with backoff while the store is down, and
// deletes each journal file once the store holds all of it. A journal the
// store never took (the host stopped or was killed first) is written to the
// store at the next start, before anything newer; Recover waits for that, so
// a restore that reads the store afterwards sees every order and fill the
// last run acted on. Because an entry may reach the store twice (the host
// stopped between the store's commit and the file's deletion), the store's
// SaveFill must be idempotent and SaveOrder and SavePosition upserts.
//
// A crash can lose only an entry whose call had not returned: the host had
// not acted on it. The journal's torn last line is skipped at the next start.
//
// Strategy state (SaveStrategyState) still waits for the store, retrying
// until its context ends.
//
// Config.Stop ends the retrying: once it is closed (Ctrl-C) a failed write
// is given up, so a store that is down cannot hold up the host's exit. Out
// of space (ENOSPC, or Config.IsFull) halts trading: the recorder logs it
// once and SaveOrder refuses new orders with ErrStorageFull. Repeated lines
// (a failing store, lost records) are logged at most once every 10 s each.
package record
