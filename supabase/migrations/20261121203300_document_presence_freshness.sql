-- The presence freshness window, written where dispatch reads it. Dispatch (private.dispatch_order,
-- private.dispatch_ride, as replaced by 20261121185200_create_courier_reassignment) passes interval '30 seconds' to
-- private.available_couriers: only couriers whose last position is fresher than that are offered a job. The courier
-- app sends its position every 10 s while waiting and every 5 s on a job, on a fixed cadence, each send given up
-- after 8 s (@ecom/domain/courier: PRESENCE_IDLE_MS, PRESENCE_ON_JOB_MS, PRESENCE_SEND_TIMEOUT_MS,
-- DISPATCH_FRESHNESS_MS), so a waiting courier stays visible even when one send is lost (2 × 10 s + 8 s < 30 s).
-- packages/db/test/platform-fixes-scenarios.test.ts checks that the window here is the app's constant.
-- No behaviour changes: comments only.

-- Functions ------------------------------------------------------------------------------------------------------
comment on function private.available_couriers(double precision, double precision, integer, public.vehicle_type, interval, integer) is
  'private.nearest_couriers without the busy couriers (private.courier_is_busy: an active job or an open offer) and, '
  'when a cash job waits at (lat, lng) (private.cash_job_at), without the couriers whose cash in hand plus its total '
  'would pass the zone''s limit (private.courier_cash_allows): online, approved, position fresher than max_age, '
  'within radius_m (1..50000), nearest first, at most lim (1..100). Dispatch, reassignment and ride matching pass '
  'max_age = 30 seconds, the freshness window the courier app''s position cadence is sized for (10 s idle, 5 s on a '
  'job, 8 s send timeout: @ecom/domain/courier DISPATCH_FRESHNESS_MS). Raises check_violation on bad coordinates or '
  'radius. Dispatch only: executable by service_role.';
