"""What leaves the app on paper or by post: PDFs, QR codes, spreadsheets, e-mail and its queue."""
