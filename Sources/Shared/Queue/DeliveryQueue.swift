import Logging
import Redis

/// The delivery queue: the one type that knows how deliveries travel through Redis and makes
/// every Redis call on them (after swift-jobs' `JobQueueDriver`: push, read, finish, retry).
/// Nothing else writes the keys below.
///
/// ## Protocol
///
/// - **Stream** ``RedisKeys/deliveryStream`` (`<prefix>:deliveries`): one entry means "look at
///   this delivery". Its only field is `d`, the delivery id in decimal: `XADD <stream> * d 42`
///   (``Entry``). An entry carries no state, so a duplicate is harmless: it claims nothing.
/// - **Group** ``RedisKeys/consumerGroup`` (`workers`): every worker process reads with
///   `XREADGROUP` as consumer `<workerId>` (``read(consumer:count:waitingUpTo:)``). The group is
///   created at id `0` with `MKSTREAM` (``ensureGroup()``) and again whenever a read finds it
///   gone (Redis lost its data). Entries a consumer read but never acknowledged (a killed
///   worker) are taken over with `XAUTOCLAIM` once idle long enough (``reclaim(consumer:idleFor:count:)``).
/// - **Done with an entry**: once a delivery's result is committed in PostgreSQL its entries
///   are acknowledged *and deleted* (`XACK` + `XDEL`), so the stream only holds open work. A
///   ``Settlement`` does that together with scheduling and handing back, one pipeline per batch.
/// - **Scheduled set** ``RedisKeys/scheduledDeliveries`` (`<prefix>:scheduled`): delivery ids
///   scored by the time they are due (milliseconds since 1970) — retries, and any delivery to be
///   made at a later time T (``schedule(_:at:)``). ``promoteDue(now:)`` moves every member due
///   at `now` (the Redis server's clock unless given) to the stream in one atomic script; each
///   worker runs it every second. Scheduling an id again moves it to the new time.
/// - **Hand back**: a delivery claimed but not worked (shutdown) gets a fresh entry (``handBack(_:)``).
/// - **Epoch** ``RedisKeys/queueEpoch``: set once per Redis dataset; when it is missing Redis
///   lost its data and ``repair(pendingGrace:lostQueuedGrace:)`` rebuilds the queue.
/// - **Repair** (one elected worker, every few seconds): `pending` rows past their grace are
///   enqueued, `queued` rows untouched past theirs get a new entry, `retrying` rows overdue by
///   two minutes are scheduled again, and `processing` claims two minutes stale are put back.
///
/// ## What PostgreSQL keeps
///
/// PostgreSQL is the truth; Redis is only the transport and can be rebuilt from it
/// (``rebuild()``). `deliveries.status` says what is open (`pending`: never enqueued, `queued`,
/// `processing` with `claimed_by`/`claimed_at`, `retrying` with `next_attempt_at`, the due
/// time) and what is done (`succeeded`, `dead`). A worker acts on an entry only after claiming
/// its row (`status = 'processing'`), and the claim refuses rows that are done, claimed by a live
/// worker, or not due yet — so lost, early or duplicate entries never cause a second call.
/// A delivery scheduled for later must therefore carry its due time in `next_attempt_at` too
/// (a retry is `retrying`): the claim refuses it before then and the repair reschedules it.
public struct DeliveryQueue: Sendable {
    let stores: DataStores
    let logger: Logger

    /// A queue over `stores`.
    public init(stores: DataStores, logger: Logger) {
        self.stores = stores
        self.logger = logger
    }

    /// The Redis client every operation goes through.
    var redis: RedisClient { stores.redis }
    /// The key names.
    var keys: RedisKeys { stores.redisKeys }
}
