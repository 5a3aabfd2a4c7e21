/**
 * The one SQL twin of `deriveFreshness(run, policy, now) === 'likely_stale'` (core/freshness.ts)
 * for an active run `r` joined to its type's windows `w`: queued runs are measured from creation,
 * running runs from the last heartbeat (else the start), and only strictly older counts. A type
 * without a policy has no `w` row, so it is never stale. Binds the app clock's `now` twice.
 * Every set-based query (hub tabs, metrics, reconciler sweep) uses this fragment.
 */
export const LIKELY_STALE_SQL = `(
  (r.status = 'queued' and r.created_at < ?::timestamptz - make_interval(secs => w.queued_after_s))
  or (r.status = 'running'
      and coalesce(r.last_heartbeat_at, r.started_at) < ?::timestamptz - make_interval(secs => w.running_after_s)))`;

/** The windows relation `w(type, queued_after_s, running_after_s)`; binds JSON of `staleWindows()`. */
export const STALE_WINDOWS_SQL = `jsonb_to_recordset(?::jsonb)
  as w(type text, queued_after_s double precision, running_after_s double precision)`;
