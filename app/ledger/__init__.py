"""The points ledger of the exchange network: double-entry, append-only, integer points.

Modules: `models` (Account, Entry, Posting), `accounts` (opening and finding accounts),
`limits` (floors and ceilings), `posting` (the one function that writes entries),
`operations` (transfers, awards, openings, reversals, fulfilments), `permissions` (who may do
what), `statements`, `totals`, `exports`, `imports`, `verify`, `pdf`, `views`, `cli`, and
`hooks` (the seam the Agreements code calls when an obligation is fulfilled).
"""
