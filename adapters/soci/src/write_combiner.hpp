#pragma once
// Group commit for one SQLite database file in one process, shared by every repository on it.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "notes/error.hpp"
#include "sqlite_file.hpp"
#include "sqlite_statements.hpp"
#include "unchanged_reads.hpp"
#include "wal_checkpointer.hpp"

namespace notes::storage::detail {


// SQLite admits one writer per file, and a commit costs more than the write it makes durable:
// an insert with its search index entry takes 110-160 us alone, of which the commit (a new
// FTS5 segment, the WAL frames) is most. So writes of one process queue here instead of
// meeting at SQLite's lock, where the busy handler sleeps whole milliseconds:
//
// - a thread whose write arrives while no one is writing leads: it runs its write and every
//   write queued meanwhile in one transaction on its own connection, each inside a SAVEPOINT
//   so that one failure rolls back only that write, commits once, then hands every waiter its
//   own result and passes the lead to the first write queued after the batch;
// - a thread that arrives while a batch runs waits for its result (or for the lead).
//
// A batch's wait for another process's lock counts from the arrival of its oldest write, so a
// write queued behind a batch that waited out the busy timeout fails with it, at the same time,
// instead of waiting a second timeout of its own.
//
// Nothing is acknowledged before the COMMIT that contains it returned; a failed COMMIT fails
// every write of the batch. The busy timeout is only for other processes' writers. The WAL is
// copied back into the file mostly beside the writers, by the combiner's wal_checkpointer (a
// thread and connection of its own), and the rest after a COMMIT on the leader's connection,
// so that the next transaction can start the WAL over.
//
// The combiner also stands for the file itself: a SQLite connection keeps writing into a file
// that was deleted or replaced (by a restore, say) and SQLite never notices in WAL mode, so
// every write would be answered and then lost at the next start. The leader therefore checks
// before and after each batch that the path still names the file (a stat each), and answers
// the batch read_only when it does not; once the path names the file again (moved back),
// writes go on.
//
// A write may also be handed off (submit_then): its caller returns at once, and the batch that
// holds it is led by the combiner's committer, a thread of its own on a connection of its own,
// which also takes the lead whenever the first write waiting is a handed-off one. The committer
// leads for as long as writes wait, answering waiting callers and handing each handed-off write
// its outcome, so under load one thread commits batches of every write that arrived during the
// last commit, with no thread woken per write.
class write_combiner {
 public:
  // Runs one write on the leader's statements; failures are error values or exceptions.
  using work = std::function<result<void>(sqlite_statements&)>;
  // The same, owned by a handed-off write.
  using owned_work = std::move_only_function<result<void>(sqlite_statements&)>;
  // Receives a handed-off write's outcome, on the thread that led its batch.
  using completion = std::move_only_function<void(result<void>)>;

  // The connection the committer writes on, opened by the first handed-off write's `open`.
  class writer {
   public:
    virtual ~writer() = default;
    virtual sqlite_statements& statements() noexcept = 0;
  };
  using writer_opener = std::function<std::unique_ptr<writer>()>;
  // The connection the WAL is copied back into the file on (wal_checkpointer).
  using session_opener = std::function<std::unique_ptr<soci::session>()>;

  // The combiner of the file at `path` (which must exist): the same object for every path
  // naming the same file (device and inode), for as long as some repository holds it.
  static std::shared_ptr<write_combiner> for_file(const std::string& path);

  // Success unless a combiner that is alive and was first opened through `path` finds that the
  // path no longer names its file (check_same_file's read_only error, for readiness).
  static result<void> check_files_opened_through(const std::string& path);

  // Every combiner first opened through `path`: the write waiting for another process's lock
  // gives up now, and later writes fail at once, with unavailable (a server that is stopping).
  static void abandon_writes_through(const std::string& path);

  // The transactions that committed writes, and the writes they held (each saved), over
  // every combiner alive that was first opened through `path`; the moves of the search queue
  // and the revision queue that committed, and those that did not (another process held the
  // lock, or the database failed) and were left to a later leader.
  struct queue_moves {
    std::int64_t search = 0;
    std::int64_t search_deferred = 0;
    std::int64_t revisions = 0;
    std::int64_t revisions_deferred = 0;
  };
  struct batch_totals {
    std::int64_t batches = 0;
    std::int64_t writes = 0;
    wal_checkpointer::counts checkpoints;
    queue_moves moves;
  };
  static batch_totals batches_through(const std::string& path);

  // Call once a connection of this process has the file open in WAL mode: the -wal and -shm
  // files it then has open are recorded too.
  write_combiner(std::string absolute_path, file_identity identity);
  ~write_combiner();
  write_combiner(const write_combiner&) = delete;
  write_combiner& operator=(const write_combiner&) = delete;

  // Most writes in one transaction; more wait for the next one.
  static constexpr std::size_t max_batch = 64;

  // New, changed and removed notes wait in notes_fts_pending for the search index (schema.cpp).
  // The leader that brings the writes since the last move to this many, or finds the last move
  // this long ago, moves the queue into the index in a transaction of its own, after its
  // batch's writers have their results: a few hundred notes cost each a quarter of what one
  // costs alone, and search scans at most about this many queued notes. The move never waits
  // for another process's lock (the leader's own write is answered only after it, and the next
  // batch waits for it): without the lock it gives up, and a later leader tries again.
  static constexpr std::size_t drain_after_writes = 256;
  static constexpr std::chrono::seconds drain_after_time{1};
  // Revisions wait in note_revisions_queue (schema.cpp, migration 15). The same move, once the
  // queue holds this many, moves as many of the oldest into note_revisions in a transaction of
  // its own: a page of its primary key then takes many revisions instead of one per change (an
  // update's revision cost a fifth of its time). Reads of one note's revisions search both.
  // Only revisions of up to 1 KiB of text are queued, and a move takes at most this many, so it
  // writes at most a few MiB however long moves were put off.
  static constexpr long long move_revisions_at = sqlite_statements::revisions_moved_at_once;

  // Runs `w` in some thread's transaction (this one's, on `own`, when it leads) and returns
  // once that transaction committed or failed. `doing` ("create note") prefixes the messages
  // of failures the database reports by exception.
  result<void> submit(sqlite_statements& own, std::string_view doing, const work& w);

  // Handed-off writes waiting at most; one more is refused with unavailable at once.
  static constexpr std::size_t max_handed_off = 1024;

  // Opens the committer's connection with `open` unless it is open: call with the first
  // repository on the file, so that the connection is opened like that repository's and at the
  // same time (not by a request). Throws what `open` throws.
  // The WAL checkpointer's connection is opened with `open_checkpointer` at the same time.
  void open_writer(const writer_opener& open, const session_opener& open_checkpointer);

  // A connection of this process that commits to the file (one that leads batches, or an
  // account repository's) commits with the WAL checkpointer watching, which then copies the WAL
  // back into the file instead of SQLite inside the COMMIT. The checkpointer's connection is
  // opened with `open_checkpointer` unless it is open. Unwatch before the connection or this
  // object goes.
  // `batches`: the connection leads batches (else it writes rarely, see wal_checkpointer::watch).
  void watch_commits(soci::session& connection, const session_opener& open_checkpointer,
                     bool batches = true);
  static void unwatch_commits(soci::session& connection) noexcept;

  // Queues `w` and returns at once; `done` receives its outcome exactly once, on the thread that
  // led its batch (the committer's, or a waiting writer's whose batch took it along) once the
  // transaction holding it committed or failed, or before this returns when
  // it is refused (too many waiting, no committer connection). It waits at most `busy_timeout`
  // (its submitter's) for another process's lock. The first call starts the committer's
  // thread. `doing` must outlive the write (a literal).
  void submit_then(std::string_view doing, owned_work w, completion done,
                   std::chrono::milliseconds busy_timeout);

  // Runs `w`, a write on a connection of the caller's outside the batches (accounts and their
  // tokens: rare writes to other tables), under the batches' rules for the file: refused with
  // unavailable once writes are abandoned, with read_only when the path no longer names the file
  // (before, and once `w` succeeded, after); its wait for another process's lock ends when
  // writes are abandoned. What `w` throws passes through.
  // `lock_wait`, when zero or more, replaces the connection's busy timeout for this write.
  result<void> run_unbatched(std::string_view doing, const std::function<result<void>()>& w,
                             std::chrono::milliseconds lock_wait = std::chrono::milliseconds(-1));

  // What the repositories on the file read, kept while the file stays unchanged (notes of at
  // most unchanged_reads::kept_bytes): a note by id or a page read again costs no read
  // transaction.
  unchanged_reads& reads() noexcept { return reads_; }

 private:
  enum class state { queued, lead, done };
  struct pending {
    const work* w = nullptr;  // a waiting caller's write
    owned_work owned;         // or a handed-off one's, with
    completion done;          // where its outcome goes
    std::string_view doing;
    std::chrono::steady_clock::time_point arrived;
    // Its submitter's busy timeout: a batch waits for another process's lock at most its
    // oldest write's, from that write's arrival, on whichever connection leads it.
    std::chrono::milliseconds busy_timeout{0};
    result<void> outcome;
    state now = state::queued;
    std::condition_variable wake;
  };

  static std::vector<std::shared_ptr<write_combiner>> opened_through(const std::string& path);
  // Under mutex_, by a leader whose batch is over: the lead goes to the first caller waiting,
  // to the committer when a handed-off write is first, or nowhere when none waits.
  void pass_lead();
  // Under `lock` (of mutex_): answers the batch's waiting callers but `self`, then, unlocked,
  // the handed-off writes (which it deletes), then moves the search queue if due.
  void settle(std::unique_lock<std::mutex>& lock, sqlite_statements& own,
              const std::vector<pending*>& batch, const pending* self);
  // Takes the next batch from the front of the queue (under mutex_).
  std::vector<pending*> take_batch();
  // The committer's thread: leads whenever the lead is passed to it, until stopped.
  void commit_handed_off();
  // The leader's part: runs the batch unless writes are refused (abandoned, or the path no
  // longer names the file), then checks the file again.
  void lead(sqlite_statements& own, const std::vector<pending*>& batch) noexcept;
  void run_batch(sqlite_statements& own, const std::vector<pending*>& batch) noexcept;
  static pending* run_writes(sqlite_statements& own, const std::vector<pending*>& writes);
  // Whether the leader should move the search queue now, counting its batch of `writes`.
  bool drain_due(std::size_t writes) noexcept;
  // Moves the search queue without waiting for the lock; false when it did not. Then, in a
  // transaction of its own, the revision queue when it holds move_revisions_at or more. Counts
  // both in moves_.
  bool drain(sqlite_statements& own) noexcept;

  const std::string path_;  // absolute, the one it was first opened through
  const file_identity identity_;
  const std::optional<file_identity> wal_;
  const std::optional<file_identity> shm_;
  std::atomic<bool> abandoned_{false};
  std::atomic<std::int64_t> batches_{0};
  std::atomic<std::int64_t> batched_writes_{0};
  struct {
    std::atomic<std::int64_t> search{0};
    std::atomic<std::int64_t> search_deferred{0};
    std::atomic<std::int64_t> revisions{0};
    std::atomic<std::int64_t> revisions_deferred{0};
  } moves_;
  unchanged_reads reads_{unchanged_reads::kept_bytes};

  std::mutex mutex_;
  std::deque<pending*> queue_;
  bool leading_ = false;
  std::size_t handed_off_ = 0;  // handed-off writes in queue_
  // The committer: its connection and thread, started by the first handed-off write.
  std::mutex committer_start_;
  std::atomic<bool> committer_started_{false};
  // Declared first: destroyed after the connections it watches. Created under
  // committer_start_; `checkpointer_seen_` lets /metrics read its counts without that lock
  // (which is held while connections open).
  std::unique_ptr<wal_checkpointer> checkpointer_;
  std::atomic<const wal_checkpointer*> checkpointer_seen_{nullptr};
  void start_checkpointer(const session_opener& open);  // under committer_start_
  std::unique_ptr<writer> committer_writer_;
  std::thread committer_;
  std::condition_variable committer_wake_;
  bool committer_leads_ = false;  // the lead was passed to the committer
  bool committer_stop_ = false;
  // Used by the leader only (the lead passes under mutex_).
  std::size_t writes_since_drain_ = 0;
  std::chrono::steady_clock::time_point last_drain_ = std::chrono::steady_clock::now();
};

}  // namespace notes::storage::detail
