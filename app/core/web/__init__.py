"""The web edge: request checks (CSRF, inputs, headers), form fields and one-time keys, refused
calls answered, log redaction, URLs, live sessions."""
