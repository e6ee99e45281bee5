-- Offers gain a fifth status, `released`: an accepted offer whose courier went offline or silent before pickup, so
-- dispatch took the job back and offers it again. Its own migration because a new enum value can only be used
-- once the transaction that added it has committed (the dispatch migration uses it).

-- Types ----------------------------------------------------------------------------------------------------------
alter type public.offer_status add value if not exists 'released';
comment on type public.offer_status is
  'offered (waiting for the courier), accepted, declined, expired (no answer in time), released (accepted, then '
  'taken back by dispatch because the courier went offline or silent before pickup).';
