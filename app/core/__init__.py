"""What every area stands on and none of them owns: configuration, paths, errors, i18n, text keys,
codes, e-mail addresses, the Flask extensions, the `flask fair` command group, background tasks;
`storage/` (base, transactions, audit, events, migrations), `web/` (the request's edge) and
`output/` (PDF, QR, spreadsheets, mail). Core imports no area."""
