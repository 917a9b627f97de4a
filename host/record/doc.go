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
// Orders, fills, positions and strategy state take the durable path instead
// (SaveOrder, SaveFill, ...): the call returns only once the store has the
// row, so the host acts on nothing it could forget.
//
// Config.Stop ends the retrying: once it is closed (Ctrl-C) a failed write
// is given up, so a store that is down cannot hold up the host's exit. Out
// of space (ENOSPC, or Config.IsFull) halts trading: the recorder logs it
// once and SaveOrder refuses new orders with ErrStorageFull. Repeated lines
// (a failing store, lost records) are logged at most once every 10 s each.
package record
