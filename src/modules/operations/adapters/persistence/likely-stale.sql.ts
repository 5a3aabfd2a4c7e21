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

/**
 * The instant an active run's freshness is measured from, as one expression: indexed by
 * `operation_runs_stale_probe_idx` (keep the text identical to the migration's).
 */
export const FRESHNESS_ANCHOR_SQL =
  "(case when r.status = 'queued' then r.created_at else coalesce(r.last_heartbeat_at, r.started_at) end)";

/**
 * (id, created_at) of the likely stale runs after a keyset position, read as one index range per (type, status)
 * of `w`: the same rule as LIKELY_STALE_SQL (callers still apply it), in a shape the stale-probe
 * index can serve (it includes created_at and id). Binds, per branch: now, then the position
 * (created_at twice, id) — null for the first batch. `offset 0` keeps each lateral a parameterized index range per window
 * row (flattened into a join, the window-dependent bound could not reach the index).
 */
const AFTER_POSITION_SQL = '(?::timestamptz is null or (r.created_at, r.id) > (?::timestamptz, ?::uuid))';

export const STALE_CANDIDATE_IDS_SQL = `
  select c.id, c.created_at from w cross join lateral (
    select r.id, r.created_at from operation_runs r
     where r.status = 'queued' and r.type = w.type
       and ${FRESHNESS_ANCHOR_SQL} < ?::timestamptz - make_interval(secs => w.queued_after_s)
       and ${AFTER_POSITION_SQL}
     offset 0) c
  union all
  select c.id, c.created_at from w cross join lateral (
    select r.id, r.created_at from operation_runs r
     where r.status = 'running' and r.type = w.type
       and ${FRESHNESS_ANCHOR_SQL} < ?::timestamptz - make_interval(secs => w.running_after_s)
       and ${AFTER_POSITION_SQL}
     offset 0) c`;
