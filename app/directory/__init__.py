"""The network's public directory: the members who chose a public profile, searched, filtered and
paged; each one's profile (the fairs it attended, its live offers and needs); the network's member
counts by sector and branch over the years; the list as CSV, XLSX and JSON, and the same as a JSON
API. Read-only: nothing here changes the database."""
